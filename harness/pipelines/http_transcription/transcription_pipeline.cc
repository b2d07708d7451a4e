#include "harness/pipelines/http_transcription/transcription_pipeline.h"

#include <cmath>
#include <fstream>
#include <iterator>

#include "harness/http/target_http.h"
#include "harness/input_error.h"
#include "harness/pipelines/common_counters.h"
#include "harness/targets/fields.h"

namespace voxperf {
namespace {

bool streaming(const std::string& mode) { return mode == "stream"; }

double error_rate_percent(const WindowMetrics& m) {
  return m.requests == 0 ? NAN : 100.0 * static_cast<double>(m.errors()) / static_cast<double>(m.requests);
}

std::string seconds_cell(double ms) { return number_cell(ms / 1000.0, 2); }

}  // namespace

std::vector<Upload> load_uploads(const std::filesystem::path& manifest) {
  const auto entries = read_manifest(manifest);
  const auto utterances = load_utterances(manifest);  // checks every file is a WAV the servers can read
  std::vector<Upload> uploads;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    std::ifstream in(entries[i].audio, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw InputError(entries[i].audio.string() + ": can not be read");
    uploads.push_back({entries[i].audio.filename().string(), std::move(bytes), utterances[i].audio.seconds(),
                       utterances[i].text});
  }
  return uploads;
}

HttpTranscriptionTarget::HttpTranscriptionTarget(const Target& target, const std::string& address,
                                                 std::vector<Upload> uploads)
    : settings_(target.settings_as<HttpTranscriptionSettings>()), uploads_(std::move(uploads)) {
  transport_ = std::make_unique<HttpTransport>(http_settings(target, address, settings_.http2));
}

std::unique_ptr<RequestClient> HttpTranscriptionTarget::client(const std::string& mode, const CaseLoad& load,
                                                               TimerQueue& timers, const Clock& clock) {
  (void)load;
  (void)timers;
  return std::make_unique<HttpTranscriptionClient>(*transport_, settings_, uploads_, streaming(mode), clock);
}

std::string HttpTranscriptionTarget::server_config() {
  // No standard route describes a transcription server; OpenAI-style ones list their models.
  return served_models(*transport_);
}

std::shared_ptr<const PipelineSettings> HttpTranscriptionPipeline::parse(Fields& fields,
                                                                         const std::filesystem::path& base) const {
  return parse_http_transcription(fields, *fields.string("model", true), base);
}

std::unique_ptr<PipelineTarget> HttpTranscriptionPipeline::open(const Target& target, const std::string& address) const {
  const auto& settings = target.settings_as<HttpTranscriptionSettings>();
  if (target.embedded() && settings.http2) {
    throw InputError("targets: " + target.model + ": http2: the embedded server's HTTP API speaks HTTP/1.1 only");
  }
  return std::make_unique<HttpTranscriptionTarget>(target, address, load_uploads(settings.data));
}

std::vector<CounterSpec> HttpTranscriptionPipeline::counters(const std::string& mode) const {
  std::vector<CounterSpec> out = {
      {"error_rate", error_rate_percent},
      {"rtfx", [](const WindowMetrics& m) { return m.rtfx; }},
      {"wer", [](const WindowMetrics& m) { return m.word_errors.rate(); }},
  };
  if (streaming(mode)) {
    out.push_back({"first_text_mean_ms", [](const WindowMetrics& m) { return m.ttft.mean_ms(); }});
    for (int p : {50, 95, 99}) {
      out.push_back({"first_text_p" + std::to_string(p) + "_ms",
                     [p](const WindowMetrics& m) { return m.ttft.percentile_ms(p); }});
    }
  }
  return out;
}

std::vector<ColumnSpec> HttpTranscriptionPipeline::columns(const std::string& mode) const {
  std::vector<ColumnSpec> out = {
      {"Avg Latency (s)", [](const WindowMetrics& m) { return seconds_cell(m.latency.mean_ms()); }},
      {"P95 Latency (s)", [](const WindowMetrics& m) { return seconds_cell(m.latency.percentile_ms(95)); }},
      // A P95 of 4 requests is their maximum: say how many it came from.
      {"P95 of n", [](const WindowMetrics& m) { return std::to_string(m.latency.count()); }},
      {"Error Rate (%)", [](const WindowMetrics& m) { return number_cell(error_rate_percent(m), 1); }},
  };
  if (streaming(mode)) {
    out.push_back({"First Text (s)", [](const WindowMetrics& m) { return seconds_cell(m.ttft.mean_ms()); }});
  }
  out.push_back(rtfx_column());
  out.push_back(wer_column());
  return out;
}

std::string HttpTranscriptionPipeline::table_title(const std::string& mode) const {
  (void)mode;
  return "Load test: one upload per request, closed loop (the seed's Whisper-on-Ray-Serve table)";
}

std::vector<PlotLine> HttpTranscriptionPipeline::plot_lines(const std::string& mode) const {
  std::vector<PlotLine> out = {{"P95 latency", [](const WindowMetrics& m) { return m.latency.percentile_ms(95); }}};
  if (streaming(mode)) out.push_back({"first text mean", [](const WindowMetrics& m) { return m.ttft.mean_ms(); }});
  return out;
}

}  // namespace voxperf
