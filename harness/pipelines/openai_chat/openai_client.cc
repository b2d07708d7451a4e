#include "harness/pipelines/openai_chat/openai_client.h"

#include <atomic>

#include "harness/http/http_call.h"
#include "harness/http/sse_parser.h"
#include "harness/pipelines/openai_chat/openai_protocol.h"

namespace voxperf {
namespace {

constexpr int kUnknown = 2, kInternal = 13, kUnavailable = 14;

HttpRequest chat_request(const OpenAiChatSettings& settings, const std::string& api, const LlmPrompt& prompt,
                         const std::string& request_id) {
  HttpRequest request;
  request.path = api_path(api);
  request.body = request_body(settings, api, prompt);
  request.headers = {{"Content-Type", "application/json"},
                     {"Accept", settings.stream ? "text/event-stream" : "application/json"},
                     {"X-Request-Id", request_id}};
  return request;
}

class ChatCall final : public HttpCall {
 public:
  ChatCall(HttpTransport& transport, const OpenAiChatSettings& settings, const std::string& api,
           const LlmPrompt& prompt, RequestRecord& record, std::function<void()> done, const Clock& clock,
           const std::string& request_id)
      : HttpCall(transport, chat_request(settings, api, prompt, request_id), record, std::move(done), clock),
        api_(api) {
    record.item = prompt.id;
    record.prompt_words = prompt.words;
    record.request_id = request_id;
  }

  void on_response(long, std::string_view content_type) override {
    sse_ = content_type.find("text/event-stream") != std::string_view::npos;
  }

 private:
  void on_body_bytes(std::string_view bytes, TimePoint at) override {
    if (!sse_) {
      body_.append(bytes);
      last_byte_ = at;
      return;
    }
    for (const SseEvent& event : parser_.feed(bytes, at)) take(event);
  }

  Status judge_answer(TimePoint) override {
    if (!sse_) return take_whole_answer();
    parser_.finish();
    if (!failure_.ok()) return failure_;
    if (!saw_done_) return {kUnavailable, "the stream ended before data: [DONE]", "no_done"};
    if (!saw_text_) return {kUnknown, "the stream carried no text", "no_text"};
    return Status{};
  }

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
    if (chunk.prompt_tokens) record().input_tokens = chunk.prompt_tokens;
    if (chunk.completion_tokens) record().output_tokens = chunk.completion_tokens;
    ResponseEvent response;
    response.at = event.at;
    response.kind = chunk.text.empty() ? ResponseKind::kEmpty : ResponseKind::kText;
    response.bytes = chunk.text.size();
    saw_text_ = saw_text_ || !chunk.text.empty();
    record().responses.push_back(std::move(response));
  }

  Status take_whole_answer() {
    const ChunkReading answer = read_chunk(body_, api_, false);
    if (!answer.problem.empty()) return {kInternal, "bad answer: " + answer.problem, "bad_event"};
    if (!answer.server_error.empty()) return {kUnknown, "server error: " + answer.server_error, "stream_error"};
    if (answer.text.empty()) return {kUnknown, "the answer carried no text", "no_text"};
    record().input_tokens = answer.prompt_tokens;
    record().output_tokens = answer.completion_tokens;
    ResponseEvent response;
    response.at = last_byte_;
    response.kind = ResponseKind::kText;
    response.bytes = answer.text.size();
    record().responses.push_back(std::move(response));
    return Status{};
  }

  std::string api_;
  // Loop thread only.
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
  const std::string request_id = "voxperf-" + std::to_string(number_) + "-" + std::to_string(calls_++);
  return std::make_shared<ChatCall>(transport_, settings_, api_, prompt, record, std::move(done), clock_, request_id);
}

}  // namespace voxperf
