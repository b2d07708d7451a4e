// Offline ASR over Riva's unary Recognize: the whole utterance in one request, one answer. Requests go out
// on the client's own completion queues, pre-serialized (asr_recognize_request.h).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "harness/grpc/async_unary_call.h"
#include "harness/grpc/channel_pool.h"
#include "harness/grpc/completion_queues.h"
#include "harness/grpc/stub_pool.h"
#include "harness/manifest.h"
#include "harness/request_client.h"
#include "harness/pipelines/riva_asr/asr_settings.h"
#include "riva/proto/riva_asr.grpc.pb.h"

namespace voxperf {

class RivaAsrOfflineClient final : public RequestClient {
 public:
  // `utterances` must outlive the client; request i sends utterance i modulo their number.
  RivaAsrOfflineClient(ChannelPool& channels, std::span<const Utterance> utterances, AsrSettings settings,
                       const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  using Response = nvidia::riva::asr::RecognizeResponse;
  GenericStubPool<grpc::ByteBuffer, Response> stubs_;
  std::span<const Utterance> utterances_;
  AsrSettings settings_;
  const Clock& clock_;
  std::string method_;
  std::vector<grpc::ByteBuffer> requests_;  // one per utterance
  AsyncUnaryCall<Response>::ToEvent to_event_;
  CompletionQueues queues_;  // last: its threads are joined first, once every call has finished
};

}  // namespace voxperf
