#include "harness/pipelines/riva_asr/asr_offline_client.h"

#include <stdexcept>

#include "harness/grpc/method_path.h"
#include "harness/pipelines/riva_asr/asr_recognize_request.h"
#include "harness/pipelines/riva_asr/asr_response.h"

namespace voxperf {

RivaAsrOfflineClient::RivaAsrOfflineClient(ChannelPool& channels, std::span<const Utterance> utterances,
                                           AsrSettings settings, const Clock& clock)
    : stubs_(channels), utterances_(utterances), settings_(std::move(settings)), clock_(clock),
      method_(method_path<nvidia::riva::asr::RivaSpeechRecognition>("Recognize")),
      to_event_([](const Response& response, TimePoint at) { return asr_response_event(response, at); }),
      queues_(CompletionQueues::default_count()) {
  if (utterances_.empty()) throw std::invalid_argument("offline ASR client needs at least one utterance");
  requests_.reserve(utterances_.size());
  for (const auto& utterance : utterances_) requests_.push_back(recognize_request(utterance, settings_));
}

std::shared_ptr<Call> RivaAsrOfflineClient::prepare(RequestRecord& record, std::function<void()> done) {
  const std::size_t i = record.index % utterances_.size();
  const auto& utterance = utterances_[i];
  record.item = utterance.id;
  record.reference = utterance.text;
  record.audio_seconds_in = utterance.audio.seconds();
  return std::make_shared<AsyncUnaryCall<Response>>(record, std::move(done), clock_, settings_.call, stubs_.next(),
                                                    method_, requests_[i], queues_.next(), to_event_);
}

}  // namespace voxperf
