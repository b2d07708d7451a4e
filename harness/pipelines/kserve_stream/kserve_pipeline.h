// Pipeline kserve_stream: a Triton (KServe v2 gRPC) streaming sequence model, such as a streaming acoustic
// model, measured the way perf_analyzer --streaming measures it. Cases "TRITON/<model>/<profile>/<mode>/c:<N>"
// or ".../rate:<R>". Modes: stream (ModelStreamInfer, one stream per sequence slot) and infer (unary
// ModelInfer with the same sequence parameters). A request is one chunk of audio; its latency is the time to
// its response. Counters beyond the common ones: inferences_per_s, sequences_per_s, sps (inferences/s x chunk
// seconds), the server's breakdown from ModelStatistics (server_queue_ms, server_compute_*_ms), and errors by
// class (errors_<class>).
#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include "harness/grpc/channel_pool.h"
#include "harness/manifest.h"
#include "harness/pipelines/kserve_stream/kserve_settings.h"
#include "harness/pipelines/pipeline.h"
#include "harness/targets/target.h"

namespace voxperf {

// One target: its channels, its audio, and the sequence ids its clients share.
class KServeStreamTarget final : public PipelineTarget {
 public:
  // `target` must outlive this.
  KServeStreamTarget(const Target& target, std::unique_ptr<ChannelPool> channels, std::vector<Utterance> data);
  std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) override;
  std::unique_ptr<ServerWindow> server_window(const std::string& mode) override;
  std::string server_config() override;

  // Asks the server for the model's metadata and compares it with the targets file. "" when they agree or the
  // server did not answer (its cases will say so); otherwise the disagreement.
  std::string check_model();

 private:
  const Target& target_;
  const KServeStreamSettings& settings_;
  std::vector<Utterance> utterances_;
  std::unique_ptr<ChannelPool> channels_;
  std::atomic<std::int64_t> next_sequence_id_;
};

class KServeStreamPipeline final : public Pipeline {
 public:
  std::string kind() const override { return "kserve_stream"; }
  std::string family() const override { return "TRITON"; }
  std::vector<std::string> modes() const override { return {"stream", "infer"}; }
  std::vector<std::string> fields() const override;
  std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const override;
  std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const override;
  std::vector<CounterSpec> counters(const std::string& mode) const override;
  std::vector<ColumnSpec> columns(const std::string& mode) const override;
  std::string table_title(const std::string& mode) const override;
};

}  // namespace voxperf
