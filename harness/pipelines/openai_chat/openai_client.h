// An openai_chat client: one HTTP POST per request over the target's HttpTransport, streamed as SSE (each
// event stamped when its last byte arrived) or read whole. What it records per request:
//   responses  one per SSE event that carried a chunk: kText when it carried generated text, kEmpty when not
//              (the role-only first delta, an empty delta, the usage chunk); a whole answer is one kText event
//              at the time its last byte arrived;
//   usage      input_tokens / output_tokens from the server's usage, when it sent one;
//   request id "voxperf-<client>-<index>", sent as X-Request-Id, so that a server's log can be matched;
//   status     the transport's (http_429, refused, deadline ...), else in-band failures by class:
//              stream_error (an error object or `event: error`), bad_event (a chunk that is not JSON or not a
//              chunk), no_done (the stream ended without data: [DONE]), no_text (a 2xx answer with no text).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/clock.h"
#include "harness/http/http_transport.h"
#include "harness/pipelines/openai_chat/llm_workload.h"
#include "harness/pipelines/openai_chat/openai_settings.h"
#include "harness/request_client.h"

namespace voxperf {

class OpenAiChatClient final : public RequestClient {
 public:
  // `api`: chat or completions. Request i sends prompts[i % size]. Everything outlives the client.
  OpenAiChatClient(HttpTransport& transport, const OpenAiChatSettings& settings, std::string api,
                   const std::vector<LlmPrompt>& prompts, const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  HttpTransport& transport_;
  const OpenAiChatSettings& settings_;
  std::string api_;
  const std::vector<LlmPrompt>& prompts_;
  const Clock& clock_;
  std::uint64_t number_ = 0;
  std::atomic<std::uint64_t> calls_{0};  // warm-up and every window: ids never repeat within a case
};

}  // namespace voxperf
