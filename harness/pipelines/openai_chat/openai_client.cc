#include "harness/pipelines/openai_chat/openai_client.h"

#include <atomic>
#include <mutex>

#include "harness/http/sse_parser.h"
#include "harness/pipelines/openai_chat/openai_protocol.h"

namespace voxperf {
namespace {

constexpr int kUnknown = 2, kInternal = 13, kUnavailable = 14;

class ChatCall final : public Call, public HttpExchange, public std::enable_shared_from_this<ChatCall> {
 public:
  ChatCall(HttpTransport& transport, const OpenAiChatSettings& settings, const std::string& api,
           const LlmPrompt& prompt, RequestRecord& record, std::function<void()> done, const Clock& clock,
           std::uint64_t client_number, std::uint64_t call_number)
      : transport_(transport), api_(api), record_(record), done_(std::move(done)),
        clock_(clock) {
    request_.path = api_path(api);
    request_.body = request_body(settings, api, prompt);
    request_.headers = {{"Content-Type", "application/json"},
                        {"Accept", settings.stream ? "text/event-stream" : "application/json"}};
    record_.item = prompt.id;
    record_.prompt_words = prompt.words;
    record_.request_id = "voxperf-" + std::to_string(client_number) + "-" + std::to_string(call_number);
    request_.headers.emplace_back("X-Request-Id", record_.request_id);
  }

  void start() override {
    record_.sent = clock_.now();
    id_ = transport_.start(std::move(request_), shared_from_this());
    started_ = true;
    if (cancel_asked_) transport_.cancel(id_);
  }

  void cancel() override {
    cancel_asked_ = true;
    if (started_) transport_.cancel(id_);
  }

  void on_response(long, std::string_view content_type) override {
    sse_ = content_type.find("text/event-stream") != std::string_view::npos;
  }

  void on_body(std::string_view bytes, TimePoint at) override {
    if (!sse_) {
      body_.append(bytes);
      last_byte_ = at;
      return;
    }
    for (const SseEvent& event : parser_.feed(bytes, at)) take(event);
  }

  void on_done(const Status& status, TimePoint at) override {
    record_.end = at;
    if (!status.ok()) {
      record_.status = status;
    } else if (!sse_) {
      take_whole_answer();
    } else {
      parser_.finish();
      if (!failure_.ok()) {
        record_.status = failure_;
      } else if (!saw_done_) {
        record_.status = {kUnavailable, "the stream ended before data: [DONE]", "no_done"};
      } else if (!saw_text_) {
        record_.status = {kUnknown, "the stream carried no text", "no_text"};
      } else {
        record_.status = Status{};
      }
    }
    auto done = std::move(done_);
    done();
  }

 private:
  void fail(int code, std::string message, const char* error_class) {
    if (failure_.ok()) failure_ = {code, std::move(message), error_class};
  }

  void take(const SseEvent& event) {
    if (event.done()) {
      saw_done_ = true;
      return;
    }
    if (event.type == "error") return fail(kUnknown, "event: error: " + event.data.substr(0, 200), "stream_error");
    const ChunkReading chunk = read_chunk(event.data, api_, true);
    if (!chunk.problem.empty()) return fail(kInternal, "bad event: " + chunk.problem, "bad_event");
    if (!chunk.server_error.empty()) return fail(kUnknown, "server error in the stream: " + chunk.server_error, "stream_error");
    if (chunk.prompt_tokens) record_.input_tokens = chunk.prompt_tokens;
    if (chunk.completion_tokens) record_.output_tokens = chunk.completion_tokens;
    ResponseEvent response;
    response.at = event.at;
    response.kind = chunk.text.empty() ? ResponseKind::kEmpty : ResponseKind::kText;
    response.bytes = chunk.text.size();
    saw_text_ = saw_text_ || !chunk.text.empty();
    record_.responses.push_back(std::move(response));
  }

  void take_whole_answer() {
    const ChunkReading answer = read_chunk(body_, api_, false);
    if (!answer.problem.empty()) {
      record_.status = {kInternal, "bad answer: " + answer.problem, "bad_event"};
      return;
    }
    if (!answer.server_error.empty()) {
      record_.status = {kUnknown, "server error: " + answer.server_error, "stream_error"};
      return;
    }
    if (answer.text.empty()) {
      record_.status = {kUnknown, "the answer carried no text", "no_text"};
      return;
    }
    record_.input_tokens = answer.prompt_tokens;
    record_.output_tokens = answer.completion_tokens;
    ResponseEvent response;
    response.at = last_byte_;
    response.kind = ResponseKind::kText;
    response.bytes = answer.text.size();
    record_.responses.push_back(std::move(response));
    record_.status = Status{};
  }

  HttpTransport& transport_;
  std::string api_;
  RequestRecord& record_;
  std::function<void()> done_;
  const Clock& clock_;
  HttpRequest request_;
  std::atomic<HttpTransport::TransferId> id_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> cancel_asked_{false};
  // Loop thread only, from here on.
  bool sse_ = false;
  SseParser parser_;
  std::string body_;
  TimePoint last_byte_{};
  bool saw_done_ = false;
  bool saw_text_ = false;
  Status failure_;
};

}  // namespace

OpenAiChatClient::OpenAiChatClient(HttpTransport& transport, const OpenAiChatSettings& settings, std::string api,
                                   const std::vector<LlmPrompt>& prompts, const Clock& clock)
    : transport_(transport), settings_(settings), api_(std::move(api)), prompts_(prompts), clock_(clock) {
  static std::atomic<std::uint64_t> clients{0};
  number_ = ++clients;  // request ids differ between the cases (and windows) of a run
}

std::shared_ptr<Call> OpenAiChatClient::prepare(RequestRecord& record, std::function<void()> done) {
  const LlmPrompt& prompt = prompts_[record.index % prompts_.size()];
  return std::make_shared<ChatCall>(transport_, settings_, api_, prompt, record, std::move(done), clock_, number_, calls_++);
}

}  // namespace voxperf
