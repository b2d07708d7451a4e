#include "harness/pipelines/riva_tts/tts_batch_client.h"

#include <stdexcept>

#include "harness/grpc/method_path.h"
#include "harness/grpc/serialized.h"

namespace voxperf {

RivaTtsBatchClient::RivaTtsBatchClient(ChannelPool& channels, std::span<const Prompt> prompts, TtsSettings settings,
                                       const Clock& clock)
    : stubs_(channels), prompts_(prompts), settings_(std::move(settings)), clock_(clock),
      method_(method_path<nvidia::riva::tts::RivaSpeechSynthesis>("Synthesize")),
      to_event_([rate = settings_.sample_rate_hz](const Response& response, TimePoint at) {
        return tts_response_event(response, rate, at);
      }),
      queues_(CompletionQueues::default_count()) {
  if (prompts_.empty()) throw std::invalid_argument("batch TTS client needs at least one prompt");
  if (settings_.sample_rate_hz <= 0) throw std::invalid_argument("TTS sample rate must be positive");
  requests_.reserve(prompts_.size());
  for (const auto& prompt : prompts_) requests_.push_back(serialized(synthesize_request(settings_, prompt)));
}

std::shared_ptr<Call> RivaTtsBatchClient::prepare(RequestRecord& record, std::function<void()> done) {
  const std::size_t i = record.index % prompts_.size();
  record.item = prompts_[i].id;
  record.text_chars = prompts_[i].text.size();
  return std::make_shared<AsyncUnaryCall<Response>>(record, std::move(done), clock_, settings_.call, stubs_.next(),
                                                    method_, requests_[i], queues_.next(), to_event_);
}

}  // namespace voxperf
