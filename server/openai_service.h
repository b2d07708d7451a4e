// The reference server's OpenAI-compatible HTTP API, on a port of its own beside the gRPC one:
//   GET  /v1/models            the one model, "cmu-en-us-trigram"
//   GET  /v1/health/ready      NIM's readiness probe
//   POST /v1/chat/completions  messages -> a completion, streamed or whole
//   POST /v1/completions       prompt -> a completion, streamed or whole
// Streams are SSE exactly as vLLM writes them: for chat a first chunk with the assistant role and empty content,
// then one chunk per token, the last with its finish_reason; with stream_options.include_usage a chunk with
// "choices": [] and the usage; then "data: [DONE]". Errors are OpenAI error objects with the HTTP status
// (400 bad body, 404 unknown model). Tokens come from LlmEngine (continuous batching over the n-gram LM).
// cpp-httplib serves each connection on a thread of its pool while it is kept alive, so the pool is sized for
// the keep-alive connections the harness holds (512 and more).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace voxperf::refserver {

class LlmEngine;

class OpenAiService {
 public:
  static constexpr const char* kModel = "cmu-en-us-trigram";
  static constexpr std::size_t kConnectionThreads = 640;

  // Binds host:port (0: a free port) and starts serving. Throws InputError when it can not bind.
  OpenAiService(LlmEngine& engine, const std::string& host, int port);
  ~OpenAiService();  // stop()
  // Stops accepting, closes the connections, and waits for their threads.
  void stop();
  int port() const { return port_; }
  std::size_t requests() const { return requests_; }

 private:
  void routes();

  LlmEngine& engine_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::uint64_t> next_id_{1};
};

}  // namespace voxperf::refserver
