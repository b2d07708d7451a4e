// Pipeline riva_tts: Riva TTS over gRPC (RivaSpeechSynthesis), cases "TTS/<model>/<profile>/<mode>/c:<N>".
// Modes: stream (SynthesizeOnline) and batch (Synthesize, where the first audio is the whole answer). Data: a
// prompts file. Counters beyond the common ones: rtfx, ttfa_mean_ms, ttfa_p99_ms, chars_per_s, and for stream
// inter_chunk_mean_ms, inter_chunk_p99_ms.
#pragma once

#include <filesystem>
#include <string>

#include "harness/grpc/channel_pool.h"
#include "harness/prompts.h"
#include "harness/pipelines/pipeline.h"
#include "harness/targets/target.h"

namespace voxperf {

// Its targets-file fields.
struct RivaTtsTargetSettings final : PipelineSettings {
  std::filesystem::path data;  // the prompts file, resolved against the targets file
  std::string language_code = "en-US";
  std::string voice;           // empty: the server's default
  int sample_rate_hz = 22050;  // output rate asked for

  void describe(nlohmann::json& target) const override;
};

// One target: its gRPC channels and its data. open() makes it from the target's settings; tests make it
// with a fake server's channels and data of their own.
class RivaTtsTarget final : public PipelineTarget {
 public:
  // `target` must outlive this.
  RivaTtsTarget(const Target& target, std::unique_ptr<ChannelPool> channels, std::vector<Prompt> data);
  std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) override;
  std::string server_config() override;

 private:
  const Target& target_;
  const RivaTtsTargetSettings& settings_;
  std::vector<Prompt> prompts_;
  std::unique_ptr<ChannelPool> channels_;
};

class RivaTtsPipeline final : public Pipeline {
 public:
  std::string kind() const override { return "riva_tts"; }
  std::string family() const override { return "TTS"; }
  std::vector<std::string> modes() const override { return {"stream", "batch"}; }
  std::vector<std::string> fields() const override;
  std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const override;
  std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const override;
  std::vector<CounterSpec> counters(const std::string& mode) const override;
  std::vector<ColumnSpec> columns(const std::string& mode) const override;
  std::vector<PlotLine> plot_lines(const std::string& mode) const override;
};

}  // namespace voxperf
