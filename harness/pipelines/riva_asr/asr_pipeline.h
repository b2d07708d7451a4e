// Pipeline riva_asr: Riva ASR over gRPC (RivaSpeechRecognition), cases "ASR/<model>/<profile>/<mode>/c:<N>".
// Modes: stream (StreamingRecognize, real-time paced chunks) and offline (Recognize). Data: a JSON-lines
// manifest of utterances with reference transcripts. Counters beyond the common ones: rtfx, wer, and for
// stream first_partial_mean_ms, server_tail_mean_ms, server_tail_p99_ms, inter_chunk_mean_ms and
// inter_chunk_p99_ms (gaps between consecutive transcripts), and the client's own pacing: chunk_lag_mean_ms,
// chunk_lag_p99_ms and late_chunk_fraction (chunks later than one chunk period).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "harness/grpc/channel_pool.h"
#include "harness/manifest.h"
#include "harness/pipelines/pipeline.h"
#include "harness/targets/target.h"

namespace voxperf {

// Its targets-file fields.
struct RivaAsrTargetSettings final : PipelineSettings {
  std::filesystem::path data;            // the manifest, resolved against the targets file
  std::string language_code = "en-US";
  std::chrono::milliseconds chunk{160};  // streaming: audio per message
  bool interim_results = true;           // streaming
  bool real_time = true;                 // streaming: pace chunks as a live caller does

  void describe(nlohmann::json& target) const override;
  Nanos pacing_period(const std::string& mode) const override;
};

// One target: its gRPC channels and its data. open() makes it from the target's settings; tests make it
// with a fake server's channels and data of their own.
class RivaAsrTarget final : public PipelineTarget {
 public:
  // `target` must outlive this.
  RivaAsrTarget(const Target& target, std::unique_ptr<ChannelPool> channels, std::vector<Utterance> data);
  std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) override;
  std::string server_config() override;

 private:
  const Target& target_;
  const RivaAsrTargetSettings& settings_;
  std::vector<Utterance> utterances_;
  std::unique_ptr<ChannelPool> channels_;
};

class RivaAsrPipeline final : public Pipeline {
 public:
  std::string kind() const override { return "riva_asr"; }
  std::string family() const override { return "ASR"; }
  std::vector<std::string> modes() const override { return {"stream", "offline"}; }
  std::vector<std::string> fields() const override;
  std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const override;
  std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const override;
  std::vector<CounterSpec> counters(const std::string& mode) const override;
  std::vector<ColumnSpec> columns(const std::string& mode) const override;
};

}  // namespace voxperf
