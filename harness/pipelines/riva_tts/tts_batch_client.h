// Batch TTS over Riva's unary Synthesize: the whole audio in one answer. Requests go out on the client's own
// completion queues, each prompt's request serialized once.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "harness/grpc/async_unary_call.h"
#include "harness/grpc/channel_pool.h"
#include "harness/grpc/completion_queues.h"
#include "harness/grpc/stub_pool.h"
#include "harness/request_client.h"
#include "harness/pipelines/riva_tts/tts_settings.h"
#include "riva/proto/riva_tts.grpc.pb.h"

namespace voxperf {

class RivaTtsBatchClient final : public RequestClient {
 public:
  // `prompts` must outlive the client; request i sends prompt i modulo their number.
  RivaTtsBatchClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                     const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  using Response = nvidia::riva::tts::SynthesizeSpeechResponse;
  GenericStubPool<grpc::ByteBuffer, Response> stubs_;
  std::span<const Prompt> prompts_;
  TtsSettings settings_;
  const Clock& clock_;
  std::string method_;
  std::vector<grpc::ByteBuffer> requests_;  // one per prompt
  AsyncUnaryCall<Response>::ToEvent to_event_;
  CompletionQueues queues_;  // last: its threads are joined first, once every call has finished
};

}  // namespace voxperf
