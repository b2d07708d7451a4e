#include "harness/pipelines/riva_asr/asr_pipeline.h"

#include <cmath>

#include "harness/grpc/target_channels.h"
#include "harness/manifest.h"
#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/riva_asr/asr_offline_client.h"
#include "harness/pipelines/riva_asr/asr_stream_client.h"
#include "harness/targets/fields.h"
#include "riva/proto/riva_asr.grpc.pb.h"

namespace voxperf {
namespace {

bool streaming(const std::string& mode) { return mode == "stream"; }

}  // namespace

RivaAsrTarget::RivaAsrTarget(const Target& target, std::unique_ptr<ChannelPool> channels,
                             std::vector<Utterance> data)
    : target_(target), settings_(target.settings_as<RivaAsrTargetSettings>()), utterances_(std::move(data)),
      channels_(std::move(channels)) {}

std::unique_ptr<RequestClient> RivaAsrTarget::client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                                     const Clock& clock) {
  (void)load;
  AsrSettings asr;
  asr.language_code = settings_.language_code;
  asr.interim_results = settings_.interim_results;
  asr.chunk = settings_.chunk;
  asr.real_time = settings_.real_time;
  asr.call = call_settings(target_);
  if (mode == "stream") return std::make_unique<RivaAsrStreamClient>(*channels_, utterances_, asr, timers, clock);
  return std::make_unique<RivaAsrOfflineClient>(*channels_, utterances_, asr, clock);
}

std::string RivaAsrTarget::server_config() {
  using nvidia::riva::asr::RivaSpeechRecognition;
  auto stub = RivaSpeechRecognition::NewStub(channels_->channel(0));
  return config_json(*stub, &RivaSpeechRecognition::Stub::GetRivaSpeechRecognitionConfig, target_);
}

Nanos RivaAsrTargetSettings::pacing_period(const std::string& mode) const {
  return streaming(mode) && real_time ? Nanos(chunk) : Nanos::zero();
}

void RivaAsrTargetSettings::describe(nlohmann::json& target) const {
  target["data"] = data.string();
  target["language_code"] = language_code;
  target["chunk_ms"] = chunk.count();
  target["interim_results"] = interim_results;
  target["real_time"] = real_time;
}

std::vector<std::string> RivaAsrPipeline::fields() const {
  return {"data", "language_code", "chunk_ms", "interim_results", "real_time"};
}

std::shared_ptr<const PipelineSettings> RivaAsrPipeline::parse(Fields& fields, const std::filesystem::path& base) const {
  auto settings = std::make_shared<RivaAsrTargetSettings>();
  settings->data = fields.existing_file("data", *fields.string("data", true), base);
  if (auto language = fields.string("language_code")) settings->language_code = *language;
  if (auto chunk = fields.integer("chunk_ms", 10, 10'000)) settings->chunk = std::chrono::milliseconds(*chunk);
  if (auto interim = fields.boolean("interim_results")) settings->interim_results = *interim;
  if (auto real_time = fields.boolean("real_time")) settings->real_time = *real_time;
  return settings;
}

std::unique_ptr<PipelineTarget> RivaAsrPipeline::open(const Target& target, const std::string& address) const {
  const auto& settings = target.settings_as<RivaAsrTargetSettings>();
  return std::make_unique<RivaAsrTarget>(target, open_channels(target, address), load_utterances(settings.data));
}

std::vector<CounterSpec> RivaAsrPipeline::counters(const std::string& mode) const {
  std::vector<CounterSpec> out = {
      {"rtfx", [](const WindowMetrics& m) { return m.rtfx; }},
      {"wer", [](const WindowMetrics& m) { return m.word_errors.rate(); }},
  };
  if (streaming(mode)) {
    out.push_back({"first_partial_mean_ms", [](const WindowMetrics& m) { return m.first_partial.mean_ms(); }});
    out.push_back({"server_tail_mean_ms", [](const WindowMetrics& m) { return m.server_tail.mean_ms(); }});
    // P95 too: an SLA search reads it from 20 x fewer requests than a P99 (harness/sla.h).
    out.push_back({"server_tail_p95_ms", [](const WindowMetrics& m) { return m.server_tail.percentile_ms(95); }});
    out.push_back({"server_tail_p99_ms", [](const WindowMetrics& m) { return m.server_tail.percentile_ms(99); }});
    // The cadence of results: gaps between consecutive transcripts (interim or final) of one stream.
    out.push_back({"inter_chunk_mean_ms", [](const WindowMetrics& m) { return m.inter_chunk.mean_ms(); }});
    out.push_back({"inter_chunk_p99_ms", [](const WindowMetrics& m) { return m.inter_chunk.percentile_ms(99); }});
    // The client's own pacing: each audio chunk's lag behind the real-time schedule (NaN when not paced).
    out.push_back({"chunk_lag_mean_ms", [](const WindowMetrics& m) { return m.chunk_lag.mean_ms(); }});
    out.push_back({"chunk_lag_p99_ms", [](const WindowMetrics& m) { return m.chunk_lag.percentile_ms(99); }});
    out.push_back({"late_chunk_fraction", [](const WindowMetrics& m) { return m.late_chunk_fraction(); }});
  }
  return out;
}

std::vector<ColumnSpec> RivaAsrPipeline::columns(const std::string& mode) const {
  const bool stream = streaming(mode);
  return {
      latency_mean_column(),
      latency_percentile_column(90),
      latency_percentile_column(99),
      throughput_column(),
      rtfx_column(),
      {"First Partial (ms)", [stream](const WindowMetrics& m) { return stream ? number_cell(m.first_partial.mean_ms(), 1) : "n/a"; }},
      {"Server Tail (ms)", [stream](const WindowMetrics& m) { return stream ? number_cell(m.server_tail.mean_ms(), 1) : "n/a"; }},
      wer_column(),
  };
}

}  // namespace voxperf
