#include "harness/pipelines/http_speech/speech_pipeline.h"

#include <algorithm>

#include "harness/http/target_http.h"
#include "harness/input_error.h"
#include "harness/percentile.h"
#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/http_speech/speech_client.h"
#include "harness/targets/fields.h"

namespace voxperf {
namespace {

double rtf_p95(const WindowMetrics& m) { return percentile_sorted(m.real_time_factors, 95); }

}  // namespace

HttpSpeechTarget::HttpSpeechTarget(const Target& target, const std::string& address, std::vector<Prompt> prompts)
    : settings_(target.settings_as<HttpSpeechSettings>()), prompts_(std::move(prompts)) {
  transport_ = std::make_unique<HttpTransport>(http_settings(target, address, settings_.http2));
}

std::unique_ptr<RequestClient> HttpSpeechTarget::client(const std::string& mode, const CaseLoad& load,
                                                        TimerQueue& timers, const Clock& clock) {
  (void)load;
  (void)timers;
  return std::make_unique<HttpSpeechClient>(*transport_, settings_, prompts_, mode == "sse", clock);
}

std::string HttpSpeechTarget::server_config() {
  if (settings_.dialect != "openai") return nlohmann::json{{"dialect", settings_.dialect}}.dump();
  return served_models(*transport_);
}

std::shared_ptr<const PipelineSettings> HttpSpeechPipeline::parse(Fields& fields, const std::filesystem::path& base) const {
  return parse_http_speech(fields, *fields.string("model", true), base);
}

std::unique_ptr<PipelineTarget> HttpSpeechPipeline::open(const Target& target, const std::string& address) const {
  const auto& settings = target.settings_as<HttpSpeechSettings>();
  if (settings.dialect == "cosyvoice" && std::find(target.modes.begin(), target.modes.end(), "sse") != target.modes.end()) {
    throw InputError("targets: " + target.model + ": modes: sse is OpenAI's stream_format; cosyvoice streams raw audio (mode audio)");
  }
  if (target.embedded() && settings.http2) {
    throw InputError("targets: " + target.model + ": http2: the embedded server's HTTP API speaks HTTP/1.1 only");
  }
  return std::make_unique<HttpSpeechTarget>(target, address, read_prompts(settings.data));
}

std::vector<CounterSpec> HttpSpeechPipeline::counters(const std::string& mode) const {
  (void)mode;
  std::vector<CounterSpec> out;
  auto times = [&out](const std::string& name, LatencyHistogram WindowMetrics::*field) {
    out.push_back({name + "_mean_ms", [field](const WindowMetrics& m) { return (m.*field).mean_ms(); }});
    for (int p : {50, 95, 99}) {
      out.push_back({name + "_p" + std::to_string(p) + "_ms",
                     [field, p](const WindowMetrics& m) { return (m.*field).percentile_ms(p); }});
    }
  };
  times("ttfb", &WindowMetrics::ttfb);
  times("ttfa", &WindowMetrics::ttfa);
  out.push_back({"inter_chunk_mean_ms", [](const WindowMetrics& m) { return m.inter_chunk.mean_ms(); }});
  out.push_back({"inter_chunk_p99_ms", [](const WindowMetrics& m) { return m.inter_chunk.percentile_ms(99); }});
  out.push_back({"rtf_mean", [](const WindowMetrics& m) { return m.mean_real_time_factor(); }});
  out.push_back({"rtf_p95", rtf_p95});
  out.push_back({"rtfx", [](const WindowMetrics& m) { return m.rtfx; }});
  out.push_back({"chars_per_s", [](const WindowMetrics& m) { return m.chars_per_second; }});
  return out;
}

std::vector<ColumnSpec> HttpSpeechPipeline::columns(const std::string& mode) const {
  (void)mode;
  return {
      {"TTFB (ms)", [](const WindowMetrics& m) { return number_cell(m.ttfb.mean_ms(), 1); }},
      {"P95 TTFB (ms)", [](const WindowMetrics& m) { return number_cell(m.ttfb.percentile_ms(95), 1); }},
      {"TTFA (ms)", [](const WindowMetrics& m) { return number_cell(m.ttfa.mean_ms(), 1); }},
      {"RTF", [](const WindowMetrics& m) { return number_cell(m.mean_real_time_factor(), 3); }},
      {"P95 RTF", [](const WindowMetrics& m) { return number_cell(rtf_p95(m), 3); }},
      {"chars/s", [](const WindowMetrics& m) { return number_cell(m.chars_per_second, 1); }},
  };
}

std::string HttpSpeechPipeline::table_title(const std::string& mode) const {
  (void)mode;
  return "Streaming TTS over HTTP (the CosyVoice seed's figures: RTF = processing time / audio seconds, below 1 "
         "is faster than real time)";
}

std::vector<PlotLine> HttpSpeechPipeline::plot_lines(const std::string& mode) const {
  (void)mode;
  return {{"mean TTFB", [](const WindowMetrics& m) { return m.ttfb.mean_ms(); }},
          {"mean TTFA", [](const WindowMetrics& m) { return m.ttfa.mean_ms(); }}};
}

}  // namespace voxperf
