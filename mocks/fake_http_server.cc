#include "mocks/fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace voxperf::mocks {
namespace {

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

// Reads until `buffer` holds a whole request (headers and Content-Length body); false when the peer closed.
bool read_request(int fd, std::string& buffer, HttpRequestSeen& out, const std::atomic<bool>& stopping) {
  auto fill = [&]() {
    pollfd p{fd, POLLIN, 0};
    while (!stopping) {
      const int ready = ::poll(&p, 1, 100);
      if (ready < 0) return false;
      if (ready == 0) continue;
      char data[4096];
      const ssize_t n = ::recv(fd, data, sizeof data, 0);
      if (n <= 0) return false;
      buffer.append(data, static_cast<std::size_t>(n));
      return true;
    }
    return false;
  };
  std::size_t header_end;
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return false;
  }
  const std::string head = buffer.substr(0, header_end);
  out = {};
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const auto first_space = request_line.find(' ');
  const auto second_space = request_line.find(' ', first_space + 1);
  out.method = request_line.substr(0, first_space);
  out.path = request_line.substr(first_space + 1, second_space - first_space - 1);
  while (line_end != std::string::npos && line_end < head.size()) {
    const std::size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.headers[name] = value;
    }
    line_end = next;
  }
  std::size_t length = 0;
  if (auto it = out.headers.find("content-length"); it != out.headers.end()) length = std::stoul(it->second);
  while (buffer.size() < header_end + 4 + length) {
    if (!fill()) return false;
  }
  out.body = buffer.substr(header_end + 4, length);
  buffer.erase(0, header_end + 4 + length);
  return true;
}

}  // namespace

std::string sse(std::string_view payload) { return "data: " + std::string(payload) + "\n\n"; }

void HttpReply::send_all(std::string_view bytes) {
  while (!bytes.empty() && !cut_) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void HttpReply::begin(int status, const std::string& content_type) {
  // No content type at all when it is empty, as CosyVoice's FastAPI server answers.
  send_all("HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n" +
           (content_type.empty() ? "" : "Content-Type: " + content_type + "\r\n") + "Transfer-Encoding: chunked\r\n\r\n");
}

void HttpReply::chunk(std::string_view bytes) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  send_all(std::string(size) + std::string(bytes) + "\r\n");
}

void HttpReply::end() { send_all("0\r\n\r\n"); }

void HttpReply::whole(int status, const std::string& content_type, const std::string& body,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\nContent-Type: " + content_type +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  send_all(head + "\r\n" + body);
}

void HttpReply::cut() {
  ::shutdown(fd_, SHUT_RDWR);
  cut_ = true;
}

FakeHttpServer::FakeHttpServer(MockHttpHandler& handler) : handler_(handler) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listen_fd_, 1024) != 0) {
    throw std::runtime_error("FakeHttpServer: can not listen on loopback");
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& thread : threads_) thread.join();
  for (int fd : open_fds_) ::close(fd);
}

void FakeHttpServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++connections_;
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void FakeHttpServer::serve(int fd) {
  std::string buffer;
  HttpRequestSeen request;
  while (read_request(fd, buffer, request, stopping_)) {
    HttpReply reply(fd);
    handler_.respond(request, reply);
    if (reply.cut_done()) break;
  }
  std::lock_guard lock(mutex_);
  ::shutdown(fd, SHUT_RDWR);
  // The fd is closed when the server goes, so that a number is never reused while another thread may use it.
}

}  // namespace voxperf::mocks
