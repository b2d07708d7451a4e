#include "harness/pipelines/openai_chat/openai_pipeline.h"

#include <numeric>

#include "harness/input_error.h"
#include "harness/percentile.h"
#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/openai_chat/openai_client.h"
#include "harness/pipelines/openai_chat/openai_protocol.h"
#include "harness/targets/fields.h"

namespace voxperf {
namespace {

StatisticValues of(const LatencyHistogram& h) {
  return {h.mean_ms(), h.min_ms(), h.max_ms(), h.percentile_ms(99), h.percentile_ms(90), h.percentile_ms(75)};
}

double mean(const std::vector<double>& v) {
  return v.empty() ? NAN : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

StatisticValues of(const std::vector<double>& sorted) {
  if (sorted.empty()) return {};
  return {mean(sorted), sorted.front(), sorted.back(), percentile_sorted(sorted, 99), percentile_sorted(sorted, 90),
          percentile_sorted(sorted, 75)};
}

StatisticValues only_avg(double value) { return {value, NAN, NAN, NAN, NAN, NAN}; }

}  // namespace

OpenAiChatTarget::OpenAiChatTarget(const Target& target, const std::string& address)
    : target_(target), settings_(target.settings_as<OpenAiChatSettings>()) {
  if (!settings_.corpus.empty()) corpus_ = read_corpus(settings_.corpus);
  transport_ = std::make_unique<HttpTransport>(http_settings(target, address, settings_.http2));
}

const std::vector<LlmPrompt>& OpenAiChatTarget::prompts_for(const CaseMode& mode) {
  const std::string key = mode.pair ? case_mode_name("", *mode.pair) : "";
  std::lock_guard lock(mutex_);
  auto it = prompts_.find(key);
  if (it != prompts_.end()) return it->second;
  LengthDraw output{settings_.output_tokens_mean, settings_.output_tokens_stddev};
  std::vector<LlmPrompt> prompts;
  if (!settings_.prompts.empty()) {
    prompts = file_prompts(settings_.prompts, output, settings_.seed);
  } else {
    LengthDraw input{settings_.input_tokens_mean, settings_.input_tokens_stddev};
    if (mode.pair) {  // a sweep point asks for exactly its lengths, as genai-perf's task table does
      input = {static_cast<double>(mode.pair->input), 0};
      output = {static_cast<double>(mode.pair->output), 0};
    }
    prompts = synthetic_prompts(corpus_, input, output, settings_.dataset_entries, settings_.seed);
  }
  return prompts_.emplace(key, std::move(prompts)).first->second;
}

std::unique_ptr<RequestClient> OpenAiChatTarget::client(const std::string& mode, const CaseLoad& load,
                                                        TimerQueue& timers, const Clock& clock) {
  (void)load;
  (void)timers;
  const CaseMode parts = split_case_mode(mode);
  return std::make_unique<OpenAiChatClient>(*transport_, settings_, parts.api, prompts_for(parts), clock);
}

std::string OpenAiChatTarget::server_config() {
  return served_models(*transport_);
}

std::string OpenAiChatTarget::check_model() {
  auto reply = transport_->fetch({"GET", "/v1/models", "", {}});
  if (!reply.status.ok()) return "";  // unreachable, or no model list: the cases report what they meet
  const auto models = nlohmann::json::parse(reply.body, nullptr, false);
  if (models.is_discarded() || !models.contains("data") || !models["data"].is_array()) return "";
  std::string served;
  for (const auto& entry : models["data"]) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) continue;
    const auto id = entry["id"].get<std::string>();
    if (id == settings_.model_name) return "";
    served += (served.empty() ? "" : ", ") + id;
  }
  return "model_name: the server at " + transport_->settings().base_url + " serves " +
         (served.empty() ? std::string("no model") : served) + ", not '" + settings_.model_name + "' (GET /v1/models)";
}

std::vector<std::string> OpenAiChatPipeline::fields() const { return openai_chat_fields(); }

std::vector<std::string> OpenAiChatPipeline::case_modes(const std::vector<std::string>& modes,
                                                        const PipelineSettings& settings) const {
  const auto& s = dynamic_cast<const OpenAiChatSettings&>(settings);
  if (s.token_pairs.empty()) return modes;
  std::vector<std::string> out;
  for (const auto& mode : modes) {
    for (const auto& pair : s.token_pairs) out.push_back(case_mode_name(mode, pair));
  }
  return out;
}

std::shared_ptr<const PipelineSettings> OpenAiChatPipeline::parse(Fields& fields,
                                                                  const std::filesystem::path& base) const {
  return parse_openai_chat(fields, *fields.string("model", true), base);
}

std::unique_ptr<PipelineTarget> OpenAiChatPipeline::open(const Target& target, const std::string& address) const {
  if (target.embedded() && target.settings_as<OpenAiChatSettings>().http2) {
    throw InputError("targets: " + target.model + ": http2: the embedded server's HTTP API speaks HTTP/1.1 only");
  }
  auto opened = std::make_unique<OpenAiChatTarget>(target, address);
  if (auto problem = opened->check_model(); !problem.empty()) throw InputError("targets: " + target.model + ": " + problem);
  return opened;
}

std::vector<CounterSpec> OpenAiChatPipeline::counters(const std::string& mode) const {
  (void)mode;
  std::vector<CounterSpec> out;
  auto times = [&out](const std::string& name, LatencyHistogram WindowMetrics::*field, std::vector<int> percentiles) {
    out.push_back({name + "_mean_ms", [field](const WindowMetrics& m) { return (m.*field).mean_ms(); }});
    for (int p : percentiles) {
      out.push_back({name + "_p" + std::to_string(p) + "_ms",
                     [field, p](const WindowMetrics& m) { return (m.*field).percentile_ms(p); }});
    }
  };
  times("ttft", &WindowMetrics::ttft, {50, 90, 99});
  times("ttst", &WindowMetrics::ttst, {50, 99});
  times("itl", &WindowMetrics::itl, {50, 90, 99});
  times("tpot", &WindowMetrics::tpot, {50, 99});
  times("request_latency", &WindowMetrics::latency, {50, 90, 99});  // genai-perf's name for latency_*
  out.push_back({"tokens_per_s_per_user", [](const WindowMetrics& m) { return mean(m.tokens_per_second_per_user); }});
  out.push_back({"osl_mean", [](const WindowMetrics& m) { return mean(m.output_lengths); }});
  out.push_back({"osl_p99", [](const WindowMetrics& m) { return percentile_sorted(m.output_lengths, 99); }});
  out.push_back({"isl_mean", [](const WindowMetrics& m) { return mean(m.input_lengths); }});
  out.push_back({"output_tokens_per_s", [](const WindowMetrics& m) { return m.output_tokens_per_second; }});
  out.push_back({"requests_per_s", [](const WindowMetrics& m) { return m.throughput_rps; }});
  // Requests whose OSL is the count of text events, because the server sent no usage: an estimate.
  out.push_back({"osl_estimated", [](const WindowMetrics& m) { return static_cast<double>(m.estimated_output_lengths); }});
  return out;
}

std::vector<ColumnSpec> OpenAiChatPipeline::columns(const std::string& mode) const {
  (void)mode;
  auto ms = [](LatencyHistogram WindowMetrics::*field, int p) {
    return [field, p](const WindowMetrics& m) {
      return number_cell(p == 0 ? (m.*field).mean_ms() : (m.*field).percentile_ms(p), 1);
    };
  };
  return {
      {"TTFT (ms)", ms(&WindowMetrics::ttft, 0)},
      {"P99 TTFT (ms)", ms(&WindowMetrics::ttft, 99)},
      {"ITL (ms)", ms(&WindowMetrics::itl, 0)},
      {"P99 ITL (ms)", ms(&WindowMetrics::itl, 99)},
      {"Request Latency (ms)", ms(&WindowMetrics::latency, 0)},
      {"Output tokens/s", [](const WindowMetrics& m) { return number_cell(m.output_tokens_per_second, 1); }},
      {"Requests/s", [](const WindowMetrics& m) { return number_cell(m.throughput_rps, 2); }},
      {"Goodput (r/s)", [](const WindowMetrics& m) { return m.good_requests ? number_cell(m.goodput_rps, 2) : "n/a"; }},
      {"OSL", [](const WindowMetrics& m) {
         return number_cell(mean(m.output_lengths), 1) + (m.estimated_output_lengths > 0 ? " (est.)" : "");
       }},
      {"ISL", [](const WindowMetrics& m) { return number_cell(mean(m.input_lengths), 1); }},
  };
}

std::string OpenAiChatPipeline::table_title(const std::string& mode) const {
  (void)mode;
  return "LLM Metrics across concurrency (genai-perf's figures, per case below)";
}

std::vector<StatisticRow> OpenAiChatPipeline::statistics(const std::string& mode) const {
  (void)mode;
  return {
      {"Time To First Token (ms)", [](const WindowMetrics& m) { return of(m.ttft); }},
      {"Time To Second Token (ms)", [](const WindowMetrics& m) { return of(m.ttst); }},
      {"Request Latency (ms)", [](const WindowMetrics& m) { return of(m.latency); }},
      {"Inter Token Latency (ms)", [](const WindowMetrics& m) { return of(m.itl); }},
      {"Output Token Throughput Per User (tokens/sec/user)",
       [](const WindowMetrics& m) { return of(m.tokens_per_second_per_user); }},
      {"Output Sequence Length (tokens)", [](const WindowMetrics& m) { return of(m.output_lengths); }},
      {"Input Sequence Length (tokens)", [](const WindowMetrics& m) { return of(m.input_lengths); }},
      {"Output Token Throughput (tokens/sec)", [](const WindowMetrics& m) { return only_avg(m.output_tokens_per_second); }},
      {"Request Throughput (per sec)", [](const WindowMetrics& m) { return only_avg(m.throughput_rps); }},
      {"Request Count (count)", [](const WindowMetrics& m) { return only_avg(static_cast<double>(m.completed)); }},
  };
}

std::vector<PlotLine> OpenAiChatPipeline::plot_lines(const std::string& mode) const {
  (void)mode;
  return {{"TTFT mean", [](const WindowMetrics& m) { return m.ttft.mean_ms(); }},
          {"ITL mean", [](const WindowMetrics& m) { return m.itl.mean_ms(); }}};
}

}  // namespace voxperf
