// Triton's unary ModelInfer with sequence parameters (perf_analyzer without --streaming): the same
// sequences, ids and chunks as the stream client, one unary call per request. A failed request comes back
// as a gRPC status, not in-band.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "harness/grpc/call_settings.h"
#include "harness/grpc/channel_pool.h"
#include "harness/grpc/stub_pool.h"
#include "harness/manifest.h"
#include "harness/pipelines/kserve_stream/kserve_settings.h"
#include "harness/pipelines/kserve_stream/sequence_plan.h"
#include "harness/pipelines/pipeline.h"
#include "harness/request_client.h"
#include "kserve/grpc_service.grpc.pb.h"

namespace voxperf {

class KServeInferClient final : public RequestClient {
 public:
  KServeInferClient(ChannelPool& channels, const KServeStreamSettings& settings, std::span<const Utterance> utterances,
                    CaseLoad load, std::atomic<std::int64_t>& next_sequence_id, CallSettings call,
                    const Clock& clock = SystemClock::instance());
  // Ends live sequences with one more request each, and waits for their answers.
  ~KServeInferClient() override;

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  class Unary;
  struct Slot {
    Sequence sequence;
    std::size_t in_flight = 0;
  };
  void released(std::size_t slot);

  StubPool<inference::GRPCInferenceService> stubs_;
  const KServeStreamSettings& settings_;
  std::span<const Utterance> utterances_;
  const CaseLoad load_;
  std::atomic<std::int64_t>& next_sequence_id_;
  const CallSettings call_;
  const Clock& clock_;

  std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<Slot> slots_;
  SequencePlan plan_;
  std::size_t sequences_started_ = 0;
  std::size_t round_robin_ = 0;
  std::size_t in_flight_ = 0;
};

}  // namespace voxperf
