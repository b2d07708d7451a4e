// The OpenAI chat and completions wire format as voxperf speaks it: request bodies, and what one response body
// (streamed chunk or whole answer) says. Pure functions, so that the fuzzers and tests can drive them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "harness/pipelines/openai_chat/llm_workload.h"
#include "harness/pipelines/openai_chat/openai_settings.h"

namespace voxperf {

// "/v1/chat/completions" for chat, "/v1/completions" for completions.
std::string api_path(const std::string& api);

// The JSON body of one request: model, messages (chat) or prompt (completions), max_tokens, stream, and with
// stream stream_options.include_usage; min_tokens and ignore_eos when force_output_tokens; extra_body last.
std::string request_body(const OpenAiChatSettings& settings, const std::string& api, const LlmPrompt& prompt);

// What one body said.
struct ChunkReading {
  std::string problem;       // not JSON, or not the shape of a chunk: what is wrong (empty: fine)
  std::string server_error;  // an {"error": ...} object's message: the server failed the request in band
  std::string text;          // generated text it carries (delta.content, message.content or text)
  bool has_choices = false;  // a choice was present (even with no text: the role-only first delta)
  std::optional<std::size_t> prompt_tokens;      // usage
  std::optional<std::size_t> completion_tokens;  // usage
};

// `streamed`: a chat.completion.chunk (choices[0].delta) rather than a whole answer (choices[0].message).
ChunkReading read_chunk(std::string_view body, const std::string& api, bool streamed);

}  // namespace voxperf
