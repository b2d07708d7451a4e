// Batch TTS over Riva's unary Synthesize: the whole audio in one answer.
#pragma once

#include <memory>
#include <span>

#include "harness/grpc/channel_pool.h"
#include "harness/grpc/stub_pool.h"
#include "harness/request_client.h"
#include "harness/pipelines/riva_tts/tts_settings.h"
#include "riva/proto/riva_tts.grpc.pb.h"

namespace voxperf {

class RivaTtsBatchClient final : public RequestClient {
 public:
  RivaTtsBatchClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                     const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  StubPool<nvidia::riva::tts::RivaSpeechSynthesis> stubs_;
  std::span<const Prompt> prompts_;
  TtsSettings settings_;
  const Clock& clock_;
};

}  // namespace voxperf
