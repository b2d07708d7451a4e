// Streaming TTS over Riva's SynthesizeOnline: exactly one request per stream followed by a half-close, which
// every Riva server accepts (before 2.25 the RPC is server-streaming, from 2.25 bidirectional); each audio
// chunk is recorded as it arrives.
#pragma once

#include <memory>
#include <span>

#include "harness/grpc/channel_pool.h"
#include "harness/grpc/stub_pool.h"
#include "harness/request_client.h"
#include "harness/pipelines/riva_tts/tts_settings.h"
#include "riva/proto/riva_tts.grpc.pb.h"

namespace voxperf {

class RivaTtsStreamClient final : public RequestClient {
 public:
  RivaTtsStreamClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                      const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  class Stream;
  StubPool<nvidia::riva::tts::RivaSpeechSynthesis> stubs_;
  std::span<const Prompt> prompts_;
  TtsSettings settings_;
  const Clock& clock_;
};

}  // namespace voxperf
