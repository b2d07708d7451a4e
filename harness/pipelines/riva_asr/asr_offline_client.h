// Offline ASR over Riva's unary Recognize: the whole utterance in one request, one answer.
#pragma once

#include <memory>
#include <span>

#include "harness/grpc/channel_pool.h"
#include "harness/grpc/stub_pool.h"
#include "harness/manifest.h"
#include "harness/request_client.h"
#include "harness/pipelines/riva_asr/asr_settings.h"
#include "riva/proto/riva_asr.grpc.pb.h"

namespace voxperf {

class RivaAsrOfflineClient final : public RequestClient {
 public:
  RivaAsrOfflineClient(ChannelPool& channels, std::span<const Utterance> utterances, AsrSettings settings,
                       const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  StubPool<nvidia::riva::asr::RivaSpeechRecognition> stubs_;
  std::span<const Utterance> utterances_;
  AsrSettings settings_;
  const Clock& clock_;
};

}  // namespace voxperf
