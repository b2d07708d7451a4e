#include "harness/pipelines/riva_tts/tts_batch_client.h"

#include <stdexcept>

#include "harness/grpc/unary_call.h"

namespace voxperf {

namespace tts = nvidia::riva::tts;

RivaTtsBatchClient::RivaTtsBatchClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                                       const Clock& clock)
    : stubs_(channels), prompts_(prompts), settings_(std::move(settings)), clock_(clock) {
  if (prompts_.empty()) throw std::invalid_argument("batch TTS client needs at least one prompt");
  if (settings_.sample_rate_hz <= 0) throw std::invalid_argument("TTS sample rate must be positive");
}

std::shared_ptr<Call> RivaTtsBatchClient::prepare(RequestRecord& record, std::function<void()> done) {
  using tts::SynthesizeSpeechRequest;
  using tts::SynthesizeSpeechResponse;
  const auto& prompt = prompts_[record.index % prompts_.size()];
  record.item = prompt.id;
  record.text_chars = prompt.text.size();
  auto* stubs = &stubs_;
  auto* stub = &stubs_.next();
  return std::make_shared<UnaryCall<SynthesizeSpeechRequest, SynthesizeSpeechResponse>>(
      record, std::move(done), clock_, settings_.call, synthesize_request(settings_, prompt),
      [stubs, stub](grpc::ClientContext* context, const SynthesizeSpeechRequest* req, SynthesizeSpeechResponse* resp,
                    std::function<void(grpc::Status)> on_done) {
        stub->async()->Synthesize(context, req, resp, stubs->held(std::move(on_done)));
      },
      [rate = settings_.sample_rate_hz](const SynthesizeSpeechResponse& response, TimePoint at) {
        return tts_response_event(response, rate, at);
      });
}

}  // namespace voxperf
