#include "harness/riva/asr_offline_client.h"

#include <stdexcept>

#include "harness/riva/asr_response.h"

namespace voxperf {

class RivaAsrOfflineClient::Recognition final : public Call, public std::enable_shared_from_this<Recognition> {
 public:
  Recognition(RivaAsrOfflineClient& client, const Utterance& utterance, RequestRecord& record,
              std::function<void()> done)
      : client_(client), record_(record), done_(std::move(done)) {
    const auto& audio = utterance.audio;
    record_.item = utterance.id;
    record_.reference = utterance.text;
    record_.audio_seconds_in = audio.seconds();
    apply_call_settings(client.settings_.call, context_);
    *request_.mutable_config() = recognition_config(client.settings_, audio.sample_rate, audio.channels);
    const auto bytes = audio.bytes();
    request_.set_audio(bytes.data(), bytes.size());
  }

  void start() override {
    record_.sent = client_.clock_.now();
    client_.stubs_.next().async()->Recognize(
        &context_, &request_, &response_, [self = shared_from_this()](grpc::Status status) mutable {
          const TimePoint now = self->client_.clock_.now();
          if (status.ok()) self->record_.responses.push_back(asr_response_event(self->response_, now));
          self->record_.end = now;
          self->record_.status = to_status(status);
          auto done = std::move(self->done_);
          finish(std::move(self), std::move(done));
        });
  }

  void cancel() override { context_.TryCancel(); }

 private:
  RivaAsrOfflineClient& client_;
  RequestRecord& record_;
  std::function<void()> done_;
  grpc::ClientContext context_;
  nvidia::riva::asr::RecognizeRequest request_;
  nvidia::riva::asr::RecognizeResponse response_;
};

RivaAsrOfflineClient::RivaAsrOfflineClient(ChannelPool& channels, std::span<const Utterance> utterances,
                                           AsrSettings settings, const Clock& clock)
    : stubs_(channels), utterances_(utterances), settings_(std::move(settings)), clock_(clock) {
  if (utterances_.empty()) throw std::invalid_argument("offline ASR client needs at least one utterance");
}

std::shared_ptr<Call> RivaAsrOfflineClient::prepare(RequestRecord& record, std::function<void()> done) {
  return std::make_shared<Recognition>(*this, utterances_[record.index % utterances_.size()], record,
                                       std::move(done));
}

}  // namespace voxperf
