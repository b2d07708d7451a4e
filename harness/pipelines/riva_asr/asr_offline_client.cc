#include "harness/pipelines/riva_asr/asr_offline_client.h"

#include <stdexcept>

#include "harness/grpc/unary_call.h"
#include "harness/pipelines/riva_asr/asr_response.h"

namespace voxperf {

namespace asr = nvidia::riva::asr;

RivaAsrOfflineClient::RivaAsrOfflineClient(ChannelPool& channels, std::span<const Utterance> utterances,
                                           AsrSettings settings, const Clock& clock)
    : stubs_(channels), utterances_(utterances), settings_(std::move(settings)), clock_(clock) {
  if (utterances_.empty()) throw std::invalid_argument("offline ASR client needs at least one utterance");
}

std::shared_ptr<Call> RivaAsrOfflineClient::prepare(RequestRecord& record, std::function<void()> done) {
  using asr::RecognizeRequest;
  using asr::RecognizeResponse;
  const auto& utterance = utterances_[record.index % utterances_.size()];
  record.item = utterance.id;
  record.reference = utterance.text;
  record.audio_seconds_in = utterance.audio.seconds();
  RecognizeRequest request;
  *request.mutable_config() =
      recognition_config(settings_, utterance.audio.sample_rate, utterance.audio.channels);
  const auto bytes = utterance.audio.bytes();
  request.set_audio(bytes.data(), bytes.size());
  auto* stubs = &stubs_;
  auto* stub = &stubs_.next();
  return std::make_shared<UnaryCall<RecognizeRequest, RecognizeResponse>>(
      record, std::move(done), clock_, settings_.call, std::move(request),
      [stubs, stub](grpc::ClientContext* context, const RecognizeRequest* req, RecognizeResponse* resp,
                    std::function<void(grpc::Status)> on_done) {
        stub->async()->Recognize(context, req, resp, stubs->held(std::move(on_done)));
      },
      [](const RecognizeResponse& response, TimePoint at) { return asr_response_event(response, at); });
}

}  // namespace voxperf
