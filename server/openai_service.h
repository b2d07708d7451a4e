// The reference server's OpenAI-compatible HTTP API, on a port of its own beside the gRPC one:
//   GET  /v1/models            the LLM, "cmu-en-us-trigram", and the audio services' models
//   GET  /v1/health/ready      NIM's readiness probe
//   POST /v1/chat/completions  messages -> a completion, streamed or whole
//   POST /v1/completions       prompt -> a completion, streamed or whole
// Streams are SSE exactly as vLLM writes them: for chat a first chunk with the assistant role and empty content,
// then one chunk per token, the last with its finish_reason; with stream_options.include_usage a chunk with
// "choices": [] and the usage; then "data: [DONE]". Errors are OpenAI error objects with the HTTP status
// (400 bad body, 404 unknown model). Tokens come from LlmEngine (continuous batching over the n-gram LM).
// The routes live on the server's HttpListener (http_listener.h).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>
#include <cstdint>

namespace httplib {
class Server;
}

namespace voxperf::refserver {

class LlmEngine;

class OpenAiService {
 public:
  static constexpr const char* kModel = "cmu-en-us-trigram";

  // Adds its routes to `http`, which must not have started yet.
  // `other_models`: the other HTTP services' models, listed by GET /v1/models beside the LLM.
  // `first_delay`: the injected fault (--fault-first-delay-ms), slept before each answer's first byte.
  OpenAiService(LlmEngine& engine, httplib::Server& http, std::vector<std::string> other_models = {},
                std::chrono::microseconds first_delay = {});
  std::size_t requests() const { return requests_; }

 private:
  void routes(httplib::Server& http);

  LlmEngine& engine_;
  std::vector<std::string> other_models_;
  std::chrono::microseconds first_delay_;
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::uint64_t> next_id_{1};
};

}  // namespace voxperf::refserver
