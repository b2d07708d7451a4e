#include "harness/pipelines/riva_tts/tts_stream_client.h"

#include <stdexcept>

namespace voxperf {

using nvidia::riva::tts::SynthesizeSpeechRequest;
using nvidia::riva::tts::SynthesizeSpeechResponse;

class RivaTtsStreamClient::Stream final
    : public grpc::ClientBidiReactor<SynthesizeSpeechRequest, SynthesizeSpeechResponse>,
      public Call,
      public std::enable_shared_from_this<Stream> {
 public:
  Stream(RivaTtsStreamClient& client, const Prompt& prompt, RequestRecord& record, std::function<void()> done)
      : client_(client), record_(record), done_(std::move(done)), request_(synthesize_request(client.settings_, prompt)) {
    record_.item = prompt.id;
    record_.text_chars = prompt.text.size();
    apply_call_settings(client.settings_.call, context_);
  }

  void start() override {
    self_ = shared_from_this();  // released in OnDone
    client_.stubs_.next().async()->SynthesizeOnline(&context_, this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    record_.sent = client_.clock_.now();
    StartCall();
  }

  void cancel() override { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    record_.responses.push_back(tts_response_event(response_, client_.settings_.sample_rate_hz, client_.clock_.now()));
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    record_.end = client_.clock_.now();
    record_.status = to_status(status);
    finish(std::move(self_), std::move(done_));
  }

 private:
  RivaTtsStreamClient& client_;
  RequestRecord& record_;
  std::function<void()> done_;
  grpc::ClientContext context_;
  SynthesizeSpeechRequest request_;
  SynthesizeSpeechResponse response_;
  std::shared_ptr<Stream> self_;
};

RivaTtsStreamClient::RivaTtsStreamClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                                         const Clock& clock)
    : stubs_(channels), prompts_(prompts), settings_(std::move(settings)), clock_(clock) {
  if (prompts_.empty()) throw std::invalid_argument("streaming TTS client needs at least one prompt");
  if (settings_.sample_rate_hz <= 0) throw std::invalid_argument("TTS sample rate must be positive");
}

std::shared_ptr<Call> RivaTtsStreamClient::prepare(RequestRecord& record, std::function<void()> done) {
  return std::make_shared<Stream>(*this, prompts_[record.index % prompts_.size()], record, std::move(done));
}

}  // namespace voxperf
