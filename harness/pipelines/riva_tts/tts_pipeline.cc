#include "harness/pipelines/riva_tts/tts_pipeline.h"

#include "harness/grpc/target_channels.h"
#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/riva_tts/tts_batch_client.h"
#include "harness/pipelines/riva_tts/tts_stream_client.h"
#include "harness/prompts.h"
#include "harness/targets/fields.h"
#include "riva/proto/riva_tts.grpc.pb.h"

namespace voxperf {
namespace {

bool streaming(const std::string& mode) { return mode == "stream"; }

}  // namespace

RivaTtsTarget::RivaTtsTarget(const Target& target, std::unique_ptr<ChannelPool> channels,
                             std::vector<Prompt> data)
    : target_(target), settings_(target.settings_as<RivaTtsTargetSettings>()), prompts_(std::move(data)),
      channels_(std::move(channels)) {}

std::unique_ptr<RequestClient> RivaTtsTarget::client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) {
  (void)timers;
  (void)load;
  TtsSettings tts;
  tts.voice_name = settings_.voice;
  tts.language_code = settings_.language_code;
  tts.sample_rate_hz = settings_.sample_rate_hz;
  tts.call = call_settings(target_);
  if (mode == "stream") return std::make_unique<RivaTtsStreamClient>(*channels_, prompts_, tts, clock);
  return std::make_unique<RivaTtsBatchClient>(*channels_, prompts_, tts, clock);
}

std::string RivaTtsTarget::server_config() {
  using nvidia::riva::tts::RivaSpeechSynthesis;
  auto stub = RivaSpeechSynthesis::NewStub(channels_->channel(0));
  return config_json(*stub, &RivaSpeechSynthesis::Stub::GetRivaSynthesisConfig, target_);
}

void RivaTtsTargetSettings::describe(nlohmann::json& target) const {
  target["data"] = data.string();
  target["language_code"] = language_code;
  target["voice"] = voice;
  target["sample_rate_hz"] = sample_rate_hz;
}

std::vector<std::string> RivaTtsPipeline::fields() const {
  return {"data", "language_code", "voice", "sample_rate_hz"};
}

std::shared_ptr<const PipelineSettings> RivaTtsPipeline::parse(Fields& fields, const std::filesystem::path& base) const {
  auto settings = std::make_shared<RivaTtsTargetSettings>();
  settings->data = fields.existing_file("data", *fields.string("data", true), base);
  if (auto language = fields.string("language_code")) settings->language_code = *language;
  if (auto voice = fields.string("voice")) settings->voice = *voice;
  if (auto rate = fields.integer("sample_rate_hz", 8000, 192000)) settings->sample_rate_hz = static_cast<int>(*rate);
  return settings;
}

std::unique_ptr<PipelineTarget> RivaTtsPipeline::open(const Target& target, const std::string& address) const {
  const auto& settings = target.settings_as<RivaTtsTargetSettings>();
  return std::make_unique<RivaTtsTarget>(target, open_channels(target, address), read_prompts(settings.data));
}

std::vector<CounterSpec> RivaTtsPipeline::counters(const std::string& mode) const {
  std::vector<CounterSpec> out = {
      {"rtfx", [](const WindowMetrics& m) { return m.rtfx; }},
      {"ttfa_mean_ms", [](const WindowMetrics& m) { return m.ttfa.mean_ms(); }},
      {"ttfa_p99_ms", [](const WindowMetrics& m) { return m.ttfa.percentile_ms(99); }},
      {"chars_per_s", [](const WindowMetrics& m) { return m.chars_per_second; }},
  };
  if (streaming(mode)) {
    out.push_back({"inter_chunk_mean_ms", [](const WindowMetrics& m) { return m.inter_chunk.mean_ms(); }});
    out.push_back({"inter_chunk_p99_ms", [](const WindowMetrics& m) { return m.inter_chunk.percentile_ms(99); }});
  }
  return out;
}

std::vector<ColumnSpec> RivaTtsPipeline::columns(const std::string& mode) const {
  const bool stream = streaming(mode);
  return {
      latency_mean_column(),
      latency_percentile_column(99),
      throughput_column(),
      rtfx_column(),
      {"TTFA (ms)", [](const WindowMetrics& m) { return number_cell(m.ttfa.mean_ms(), 1); }},
      {"P99 TTFA (ms)", [](const WindowMetrics& m) { return number_cell(m.ttfa.percentile_ms(99), 1); }},
      {"Inter-Chunk (ms)", [stream](const WindowMetrics& m) { return stream ? number_cell(m.inter_chunk.mean_ms(), 1) : "n/a"; }},
  };
}

std::vector<PlotLine> RivaTtsPipeline::plot_lines(const std::string& mode) const {
  (void)mode;
  return {{"mean TTFA", [](const WindowMetrics& m) { return m.ttfa.mean_ms(); }},
          {"P99 TTFA", [](const WindowMetrics& m) { return m.ttfa.percentile_ms(99); }}};
}

}  // namespace voxperf
