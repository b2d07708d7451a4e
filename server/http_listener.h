// The reference server's HTTP port: one cpp-httplib server that the HTTP services (the OpenAI LLM API, the
// audio APIs) add their routes to before it starts. cpp-httplib serves each connection on a thread of its pool
// while it is kept alive, so the pool is sized for the keep-alive connections the harness holds (512 and more).
// Errors that httplib answers itself (413 for an oversized body, 404 for an unknown route) get an OpenAI-style
// JSON error body, so that every client reads the same shape.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace voxperf::refserver {

class HttpListener {
 public:
  static constexpr std::size_t kConnectionThreads = 640;
  static constexpr int kListenBacklog = 4096;  // connections waiting to be accepted (capped by somaxconn)
  static constexpr std::size_t kMaxBody = 32u << 20;  // an upload of 25 MB (OpenAI's limit) fits; more is refused

  // `connection_threads`: connections served at once (each keep-alive connection holds one while it lives).
  explicit HttpListener(std::size_t connection_threads = kConnectionThreads);
  ~HttpListener();  // stop()
  httplib::Server& server() { return *server_; }

  // Binds host:port (0: a free port) and starts serving. Throws InputError when it can not bind.
  void start(const std::string& host, int port);
  // Stops accepting, closes the connections, and waits for their threads.
  void stop();
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

class ChunkChannel;

// Streams the channel's chunks as the chunked body of `res`, each written as it comes. A channel that ends
// without completing cuts the body short (no last chunk); a client that goes away closes the channel.
void stream_chunks(httplib::Response& res, const char* content_type, std::shared_ptr<ChunkChannel> channel);

// An OpenAI error object with its HTTP status: {"error": {"message", "type", "code"}}.
void send_json_error(httplib::Response& res, int status, const std::string& message, const char* type);

}  // namespace voxperf::refserver
