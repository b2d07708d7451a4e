#include "server/tcp_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "harness/input_error.h"

namespace voxperf::refserver {
namespace {

constexpr std::size_t kMaxBuffered = 4u << 20;  // per direction; reading pauses beyond it

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

void set_nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int local_port(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return 0;
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

}  // namespace

// One relayed connection: bytes read from one side wait in the other side's buffer until it can take them.
struct TcpRelay::Pair {
  int fd[2];              // 0: client, 1: backend
  std::string to_send[2];  // bytes waiting to be written to fd[i]
  bool closed = false;

  ~Pair() {
    for (int f : fd) {
      if (f >= 0) close(f);
    }
  }
  // Reads from side i into the other side's buffer; false when the connection has ended.
  bool read_from(int i) {
    char buffer[65536];
    const ssize_t n = ::read(fd[i], buffer, sizeof(buffer));
    if (n > 0) {
      to_send[1 - i].append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
  bool write_to(int i) {
    const ssize_t n = ::send(fd[i], to_send[i].data(), to_send[i].size(), MSG_NOSIGNAL);
    if (n > 0) {
      to_send[i].erase(0, static_cast<std::size_t>(n));
      return true;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
};

TcpRelay::TcpRelay(const std::string& host, int port, int backend_port) : backend_port_(backend_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    throw InputError("--host '" + host + "': not a numeric IP address");
  }
  listener_ = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  const bool ok = listener_ >= 0 && bind(listener_, found->ai_addr, found->ai_addrlen) == 0 && listen(listener_, 128) == 0;
  freeaddrinfo(found);
  if (!ok) {
    const std::string reason = std::strerror(errno);
    if (listener_ >= 0) close(listener_);
    throw InputError("--host/--port: could not listen on " + host + ":" + service + " (" + reason + ")");
  }
  set_nonblocking(listener_);
  port_ = local_port(listener_);
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("tcp relay: pipe2 failed");
  thread_ = std::thread([this] { loop(); });
}

TcpRelay::~TcpRelay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  drop_done_cv_.notify_all();
  wake();
  thread_.join();
  for (auto& [port, pair] : pairs_) delete pair;
  if (listener_ >= 0) close(listener_);
  close(wake_pipe_[0]);
  close(wake_pipe_[1]);
}

void TcpRelay::stop_accepting() {
  {
    std::lock_guard lock(mutex_);
    close_listener_ = true;
  }
  wake();
}

void TcpRelay::drop(const std::string& peer) {
  const auto colon = peer.rfind(':');
  if (colon == std::string::npos) return;
  std::unique_lock lock(mutex_);
  to_drop_.insert(std::atoi(peer.c_str() + colon + 1));
  const std::uint64_t ticket = ++drops_requested_;
  wake();
  drop_done_cv_.wait_for(lock, std::chrono::seconds(5), [&] { return drops_done_ >= ticket || stopping_; });
}

void TcpRelay::wake() {
  const char byte = 1;
  [[maybe_unused]] auto n = ::write(wake_pipe_[1], &byte, 1);
}

void TcpRelay::accept_one() {
  const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (client < 0) return;
  const int backend = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(backend_port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (backend < 0 || connect(backend, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(client);
    if (backend >= 0) close(backend);
    return;
  }
  set_nonblocking(backend);
  set_nodelay(client);
  set_nodelay(backend);
  auto* pair = new Pair{{client, backend}, {}, false};
  pairs_[local_port(backend)] = pair;
}

void TcpRelay::loop() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Pair*, int>> sides;  // which pair and side each pollfd after the first two is
  while (!stopping_) {
    {
      std::lock_guard lock(mutex_);
      if (close_listener_ && listener_ >= 0) {
        close(listener_);
        listener_ = -1;
      }
      for (int port : to_drop_) {
        auto it = pairs_.find(port);
        if (it == pairs_.end()) continue;
        it->second->write_to(0);  // what the relay already holds for the client was on the wire: pass it on
        delete it->second;        // closes both sockets
        pairs_.erase(it);
      }
      to_drop_.clear();
      drops_done_ = drops_requested_;
    }
    drop_done_cv_.notify_all();
    for (auto it = pairs_.begin(); it != pairs_.end();) {
      if (it->second->closed) {
        delete it->second;
        it = pairs_.erase(it);
      } else {
        ++it;
      }
    }
    fds.assign({{wake_pipe_[0], POLLIN, 0}, {listener_, POLLIN, 0}});
    sides.clear();
    for (auto& [port, pair] : pairs_) {
      for (int i = 0; i < 2; ++i) {
        short events = 0;
        if (pair->to_send[1 - i].size() < kMaxBuffered) events |= POLLIN;
        if (!pair->to_send[i].empty()) events |= POLLOUT;
        fds.push_back({pair->fd[i], events, 0});
        sides.emplace_back(pair, i);
      }
    }
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
    if (fds[0].revents & POLLIN) {
      char drain[64];
      while (::read(wake_pipe_[0], drain, sizeof(drain)) > 0) {
      }
    }
    if (listener_ >= 0 && (fds[1].revents & POLLIN)) accept_one();
    for (std::size_t k = 0; k < sides.size(); ++k) {
      auto [pair, i] = sides[k];
      const short revents = fds[k + 2].revents;
      if (pair->closed || revents == 0) continue;
      if ((revents & POLLOUT) && !pair->write_to(i)) pair->closed = true;
      if ((revents & (POLLIN | POLLHUP | POLLERR)) && !pair->read_from(i)) pair->closed = true;
    }
  }
}

}  // namespace voxperf::refserver
