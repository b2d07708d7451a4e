#include "harness/pipelines/http_speech/speech_client.h"

#include "harness/http/http_call.h"
#include "harness/http/sse_parser.h"
#include "harness/pipelines/http_speech/speech_protocol.h"

namespace voxperf {
namespace {

constexpr int kUnknown = 2, kInternal = 13, kUnavailable = 14;

class SpeechCall final : public HttpCall {
 public:
  SpeechCall(HttpTransport& transport, HttpRequest request, RequestRecord& record, std::function<void()> done,
             const Clock& clock, const HttpSpeechSettings& settings)
      : HttpCall(transport, std::move(request), record, std::move(done), clock),
        wav_(settings.dialect == "openai" && settings.response_format == "wav"),
        rate_(settings.sample_rate_hz) {}

  void on_response(long, std::string_view content_type) override {
    sse_ = content_type.find("text/event-stream") != std::string_view::npos;
    if (content_type.find("wav") != std::string_view::npos) wav_ = true;  // audio/wav, audio/x-wav
  }

 private:
  void on_body_bytes(std::string_view bytes, TimePoint at) override {
    if (sse_) {
      for (const SseEvent& event : parser_.feed(bytes, at)) take(event);
      return;
    }
    if (wav_ && !header_.complete()) {
      if (header_.failed()) return;
      const std::size_t header_bytes = header_.feed(bytes);
      if (header_.failed()) return fail(kInternal, header_.problem(), "bad_audio");
      bytes.remove_prefix(header_bytes);
      if (header_.complete()) {
        rate_ = header_.sample_rate();
        pcm_ = PcmCounter(header_.channels());
      }
      if (bytes.empty()) return add(0, header_bytes, at);  // the header alone: first byte, no audio yet
    }
    add(pcm_.feed(bytes.size()), bytes.size(), at);
  }

  Status judge_answer(TimePoint) override {
    if (sse_) {
      parser_.finish();
      if (failure_.ok() && !saw_done_) return {kUnavailable, "the stream ended before speech.audio.done", "no_done"};
    }
    if (!failure_.ok()) return failure_;
    if (wav_ && !sse_ && !header_.complete()) return {kInternal, "the WAV answer ended inside its header", "bad_audio"};
    if (pcm_.leftover() != 0) {
      return {kInternal, "the audio ended with " + std::to_string(pcm_.leftover()) + " byte(s) of a partial sample",
              "bad_audio"};
    }
    if (pcm_.frames() == 0) return {kUnknown, "the answer carried no audio", "no_audio"};
    return Status{};
  }

  void take(const SseEvent& event) {
    if (event.type == "error") return fail(kUnknown, "event: error: " + event.data.substr(0, 200), "stream_error");
    const SpeechEventReading reading = read_speech_event(event.data);
    if (!reading.problem.empty()) return fail(kInternal, "bad event: " + reading.problem, "bad_event");
    if (!reading.server_error.empty()) return fail(kUnknown, "server error in the stream: " + reading.server_error, "stream_error");
    if (reading.done) saw_done_ = true;
    if (reading.delta) add(pcm_.feed(reading.audio.size()), reading.audio.size(), event.at);
  }

  void add(std::size_t frames, std::size_t bytes, TimePoint at) {
    ResponseEvent response;
    response.at = at;
    response.bytes = bytes;
    response.kind = frames > 0 ? ResponseKind::kAudio : ResponseKind::kEmpty;
    response.audio_seconds = static_cast<double>(frames) / static_cast<double>(rate_);
    record().responses.push_back(response);
  }

  void fail(int code, std::string message, const char* error_class) {
    if (failure_.ok()) failure_ = {code, std::move(message), error_class};
  }

  // Loop thread only.
  bool wav_;
  int rate_;
  bool sse_ = false;
  SseParser parser_;
  bool saw_done_ = false;
  WavStreamHeader header_;
  PcmCounter pcm_;
  Status failure_;
};

}  // namespace

HttpSpeechClient::HttpSpeechClient(HttpTransport& transport, const HttpSpeechSettings& settings,
                                   const std::vector<Prompt>& prompts, bool sse, const Clock& clock)
    : transport_(transport), settings_(settings), prompts_(prompts), sse_(sse), clock_(clock) {}

std::shared_ptr<Call> HttpSpeechClient::prepare(RequestRecord& record, std::function<void()> done) {
  const Prompt& prompt = prompts_[record.index % prompts_.size()];
  record.item = prompt.id;
  record.text_chars = prompt.text.size();
  return std::make_shared<SpeechCall>(transport_, speech_request(settings_, prompt.text, sse_), record,
                                      std::move(done), clock_, settings_);
}

}  // namespace voxperf
