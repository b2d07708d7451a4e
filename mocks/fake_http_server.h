// A gMock fake HTTP server for tests of the HTTP pipelines: a real HTTP/1.1 server on loopback, written on raw
// sockets so that a test controls every byte and its timing (one byte per write, several SSE events in one
// write, a connection cut mid-body, a chunked body that ends without [DONE]). Each request is handed to
// MockHttpHandler::respond, which answers through an HttpReply. Connections are kept alive between requests,
// as a real server keeps them, and counted, so that tests can check the client's reuse.
#pragma once

#include <gmock/gmock.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace voxperf::mocks {

struct HttpRequestSeen {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Writes one response on the connection. Each call is one send() with TCP_NODELAY, so each arrives as its own
// read unless the client is slower than the script.
class HttpReply {
 public:
  explicit HttpReply(int fd) : fd_(fd) {}
  // Status line and headers of a chunked response (no Content-Type header when `content_type` is empty).
  void begin(int status, const std::string& content_type);
  // One chunk of the chunked body.
  void chunk(std::string_view bytes);
  // The last chunk: the body ends cleanly.
  void end();
  // A whole response with Content-Length.
  void whole(int status, const std::string& content_type, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Closes the connection now, mid-body.
  void cut();
  bool cut_done() const { return cut_; }

 private:
  void send_all(std::string_view bytes);
  int fd_;
  bool cut_ = false;
};

class MockHttpHandler {
 public:
  MOCK_METHOD(void, respond, (const HttpRequestSeen& request, HttpReply& reply));
};

class FakeHttpServer {
 public:
  explicit FakeHttpServer(MockHttpHandler& handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::size_t connections() const { return connections_; }

 private:
  void accept_loop();
  void serve(int fd);

  MockHttpHandler& handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  std::mutex mutex_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// An SSE event's bytes: "data: <payload>\n\n".
std::string sse(std::string_view payload);

}  // namespace voxperf::mocks
