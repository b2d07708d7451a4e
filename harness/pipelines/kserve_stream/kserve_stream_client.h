// Triton's ModelStreamInfer, the way perf_analyzer drives a streaming sequence model: one bidirectional stream
// per sequence slot, kept open across the slot's sequences; each request is one chunk of audio with its
// sequence parameters; responses are matched to requests by id; a per-request error in error_message fails
// that request only, and the stream goes on.
//
// Closed loop: a request goes to a slot with nothing in flight (one sequence per slot, as perf_analyzer's
// concurrency mode). Open loop: requests are spread round-robin over `num_sequences` live sequences, several
// in flight on one stream when the rate asks for it. When the client goes, every sequence still live is
// ended by one more request with sequence_end (perf_analyzer's CompleteOngoingSequence), so the server holds
// no sequence for this client afterwards.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "harness/grpc/call_settings.h"
#include "harness/grpc/channel_pool.h"
#include "harness/manifest.h"
#include "harness/pipelines/kserve_stream/kserve_settings.h"
#include "harness/pipelines/kserve_stream/sequence_plan.h"
#include "harness/pipelines/pipeline.h"
#include "harness/request_client.h"
#include "kserve/grpc_service.grpc.pb.h"

namespace voxperf {

class KServeStreamClient final : public RequestClient {
 public:
  // Everything passed by reference must outlive the client. `next_sequence_id` is shared by a target's
  // clients, so that no two of them ever use one id.
  KServeStreamClient(ChannelPool& channels, const KServeStreamSettings& settings, std::span<const Utterance> utterances,
                     CaseLoad load, std::atomic<std::int64_t>& next_sequence_id, CallSettings call,
                     const Clock& clock = SystemClock::instance());
  // Ends live sequences and closes the streams; waits for the server (up to 30 s, then cancels).
  ~KServeStreamClient() override;

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

  // Streams opened so far (one per slot, more when a stream broke and was replaced).
  std::size_t streams_opened() const;

 private:
  class Slot;
  class Request;
  std::shared_ptr<Slot> pick_slot();  // with mutex_ held

  ChannelPool& channels_;
  const KServeStreamSettings& settings_;
  std::span<const Utterance> utterances_;
  const CaseLoad load_;
  std::atomic<std::int64_t>& next_sequence_id_;
  const CallSettings call_;
  const Clock& clock_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Slot>> slots_;
  SequencePlan plan_;
  std::size_t sequences_started_ = 0;
  std::size_t round_robin_ = 0;
  std::size_t streams_opened_ = 0;
};

}  // namespace voxperf
