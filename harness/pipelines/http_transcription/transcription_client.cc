#include "harness/pipelines/http_transcription/transcription_client.h"

#include "harness/http/http_call.h"
#include "harness/http/sse_parser.h"
#include "harness/pipelines/http_transcription/transcription_protocol.h"

namespace voxperf {
namespace {

constexpr int kUnknown = 2, kInternal = 13;

class TranscriptionCall final : public HttpCall {
 public:
  TranscriptionCall(HttpTransport& transport, HttpRequest request, RequestRecord& record, std::function<void()> done,
                    const Clock& clock, const HttpTranscriptionSettings& settings)
      : HttpCall(transport, std::move(request), record, std::move(done), clock), settings_(settings) {}

  void on_response(long, std::string_view content_type) override {
    content_type_ = std::string(content_type);
    sse_ = content_type.find("text/event-stream") != std::string_view::npos;
  }

 private:
  void on_body_bytes(std::string_view bytes, TimePoint at) override {
    last_byte_ = at;
    if (!sse_) {
      body_.append(bytes);
      return;
    }
    for (const SseEvent& event : parser_.feed(bytes, at)) take(event);
  }

  Status judge_answer(TimePoint) override {
    std::string text;
    TimePoint at = last_byte_;
    if (!sse_) {
      const TranscriptReading answer = read_transcript(body_, content_type_, settings_.response_format);
      if (!answer.problem.empty()) return {kInternal, "bad answer: " + answer.problem, "bad_answer"};
      if (!answer.server_error.empty()) return {kUnknown, "server error: " + answer.server_error, "stream_error"};
      text = answer.text;
    } else {
      parser_.finish();
      if (!failure_.ok()) return failure_;
      text = done_ ? done_text_ : deltas_;
      if (done_) at = done_at_;
    }
    if (text.empty() && !record().reference.empty()) return {kUnknown, "the transcript is empty", "no_text"};
    ResponseEvent final;
    final.at = at;
    final.kind = ResponseKind::kFinal;
    final.bytes = text.size();
    final.text = std::move(text);
    record().responses.push_back(std::move(final));
    return Status{};
  }

  void take(const SseEvent& event) {
    if (event.done() || done_) return;  // [DONE], or anything after the done event
    if (event.type == "error") return fail(kUnknown, "event: error: " + event.data.substr(0, 200), "stream_error");
    const TranscriptReading reading = read_transcript_event(event.data);
    if (!reading.problem.empty()) return fail(kInternal, "bad event: " + reading.problem, "bad_answer");
    if (!reading.server_error.empty()) return fail(kUnknown, "server error in the stream: " + reading.server_error, "stream_error");
    if (reading.done) {
      done_ = true;
      done_text_ = reading.text;
      done_at_ = event.at;
      return;
    }
    if (!reading.delta || reading.text.empty()) return;
    deltas_ += reading.text;
    ResponseEvent delta;
    delta.at = event.at;
    delta.kind = ResponseKind::kText;
    delta.bytes = reading.text.size();
    record().responses.push_back(std::move(delta));
  }

  void fail(int code, std::string message, const char* error_class) {
    if (failure_.ok()) failure_ = {code, std::move(message), error_class};
  }

  const HttpTranscriptionSettings& settings_;
  // Loop thread only.
  std::string content_type_;
  bool sse_ = false;
  std::string body_;
  TimePoint last_byte_{};
  SseParser parser_;
  std::string deltas_;
  bool done_ = false;
  std::string done_text_;
  TimePoint done_at_{};
  Status failure_;
};

}  // namespace

HttpTranscriptionClient::HttpTranscriptionClient(HttpTransport& transport, const HttpTranscriptionSettings& settings,
                                                 const std::vector<Upload>& uploads, bool stream, const Clock& clock)
    : transport_(transport), settings_(settings), uploads_(uploads), stream_(stream), clock_(clock) {}

std::shared_ptr<Call> HttpTranscriptionClient::prepare(RequestRecord& record, std::function<void()> done) {
  const Upload& upload = uploads_[record.index % uploads_.size()];
  record.item = upload.id;
  record.audio_seconds_in = upload.seconds;
  record.reference = upload.reference;
  HttpRequest request;
  request.path = settings_.path;
  request.form = transcription_form(settings_, upload.id, upload.wav_bytes, stream_);
  request.headers = {{"Accept", stream_ ? "text/event-stream" : "*/*"}};
  return std::make_shared<TranscriptionCall>(transport_, std::move(request), record, std::move(done), clock_, settings_);
}

}  // namespace voxperf
