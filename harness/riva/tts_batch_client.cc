#include "harness/riva/tts_batch_client.h"

#include <stdexcept>

namespace voxperf {

class RivaTtsBatchClient::Synthesis final : public Call, public std::enable_shared_from_this<Synthesis> {
 public:
  Synthesis(RivaTtsBatchClient& client, const Prompt& prompt, RequestRecord& record, std::function<void()> done)
      : client_(client), record_(record), done_(std::move(done)), request_(synthesize_request(client.settings_, prompt)) {
    record_.item = prompt.id;
    record_.text_chars = prompt.text.size();
    apply_call_settings(client.settings_.call, context_);
  }

  void start() override {
    record_.sent = client_.clock_.now();
    client_.stubs_.next().async()->Synthesize(
        &context_, &request_, &response_, [self = shared_from_this()](grpc::Status status) mutable {
          const TimePoint now = self->client_.clock_.now();
          if (status.ok()) {
            self->record_.responses.push_back(
                tts_response_event(self->response_, self->client_.settings_.sample_rate_hz, now));
          }
          self->record_.end = now;
          self->record_.status = to_status(status);
          auto done = std::move(self->done_);
          finish(std::move(self), std::move(done));
        });
  }

  void cancel() override { context_.TryCancel(); }

 private:
  RivaTtsBatchClient& client_;
  RequestRecord& record_;
  std::function<void()> done_;
  grpc::ClientContext context_;
  nvidia::riva::tts::SynthesizeSpeechRequest request_;
  nvidia::riva::tts::SynthesizeSpeechResponse response_;
};

RivaTtsBatchClient::RivaTtsBatchClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                                       const Clock& clock)
    : stubs_(channels), prompts_(prompts), settings_(std::move(settings)), clock_(clock) {
  if (prompts_.empty()) throw std::invalid_argument("batch TTS client needs at least one prompt");
  if (settings_.sample_rate_hz <= 0) throw std::invalid_argument("TTS sample rate must be positive");
}

std::shared_ptr<Call> RivaTtsBatchClient::prepare(RequestRecord& record, std::function<void()> done) {
  return std::make_shared<Synthesis>(*this, prompts_[record.index % prompts_.size()], record, std::move(done));
}

}  // namespace voxperf
