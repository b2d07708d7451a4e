#include "harness/grpc/nghttp2/grpc_h2_transport.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "harness/grpc/nghttp2/grpc_framing.h"
#include "harness/input_error.h"

namespace voxperf {
namespace {

// gRPC status codes used here (grpc/status.h's numbers).
constexpr int kCancelled = 1, kUnknown = 2, kDeadlineExceeded = 4, kPermissionDenied = 7, kUnimplemented = 12,
              kInternal = 13, kUnavailable = 14, kUnauthenticated = 16;

constexpr std::uint64_t kWakeKey = ~std::uint64_t{0};
// The loop wakes at least this often (to notice a stop), and when the earliest deadline comes due.
constexpr auto kSweepPeriod = std::chrono::milliseconds(50);
constexpr auto kReconnectBackoff = std::chrono::seconds(1);   // after a failed connect, as grpc++'s first backoff

nghttp2_nv header(std::string_view name, std::string_view value) {
  // nghttp2 copies names and values when the request is submitted.
  return {const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(name.data())),
          const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

// An HTTP status without grpc-status, mapped as gRPC's HTTP/2 protocol document maps it.
int grpc_code_of_http(int http) {
  switch (http) {
    case 400: return kInternal;
    case 401: return kUnauthenticated;
    case 403: return kPermissionDenied;
    case 404: return kUnimplemented;
    case 429: case 502: case 503: case 504: return kUnavailable;
    default: return kUnknown;
  }
}

std::pair<std::string, std::string> split_host_port(const std::string& address) {
  std::string host, port;
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    if (close != std::string::npos && close + 1 < address.size() && address[close + 1] == ':') {
      host = address.substr(1, close - 1);
      port = address.substr(close + 2);
    }
  } else if (const auto colon = address.rfind(':'); colon != std::string::npos) {
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    throw InputError("endpoint '" + address + "': the nghttp2 gRPC transport needs host:port");
  }
  return {host, port};
}

}  // namespace

// One call: what the caller set, then (on the loop's thread only) its HTTP/2 stream's state.
class GrpcH2Call : public std::enable_shared_from_this<GrpcH2Call> {
 public:
  GrpcH2Call(std::string method_path, Nanos call_deadline, GrpcH2Handler& call_handler, std::size_t connection_index)
      : path(std::move(method_path)),
        deadline(call_deadline),
        handler(&call_handler),
        connection(connection_index) {}

  const std::string path;  // a copy: callers pass temporaries
  const Nanos deadline;
  GrpcH2Handler* handler;
  const std::size_t connection;

  std::int32_t stream_id = -1;  // -1: not started
  TimePoint expires{};
  bool closed = false;
  bool cancelled_before_start = false;
  enum class Ending : std::uint8_t { kNone, kCancelled, kDeadline, kBadResponse } ending = Ending::kNone;
  std::string bad_response;  // kBadResponse: what was wrong
  // The request side: messages queued for nghttp2's DATA frames, and whether the half-close follows them.
  std::deque<std::pair<std::string_view, std::size_t>> pending;
  std::size_t pending_taken = 0;  // bytes of pending.front() already in a frame
  std::size_t messages = 0;       // queued so far: the next one's index
  bool last_queued = false;
  bool deferred = false;  // nghttp2 waits for more data: resume it on the next write
  // The response side.
  GrpcMessageReader reader;
  int http_status = 0;
  std::optional<int> grpc_status;
  std::string grpc_message;
};

class GrpcH2Transport::Loop {
  struct Connection {
    Loop* loop = nullptr;
    std::size_t index = 0;
    int fd = -1;
    nghttp2_session* session = nullptr;
    bool connecting = false;
    bool polling_out = false;
    bool touched = false;  // to flush at the end of this turn
    std::string out;
    std::size_t out_sent = 0;
    std::unordered_map<std::int32_t, std::shared_ptr<GrpcH2Call>> calls;
    TimePoint retry_after{};
    std::string last_error;
  };

 public:
  Loop(const GrpcH2Endpoint& endpoint) : endpoint_(endpoint), connections_(std::max<std::size_t>(1, endpoint.connections)) {
    std::tie(host_, port_) = split_host_port(endpoint_.address);
    timeout_value_.reserve(16);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(std::string("nghttp2 gRPC transport: ") + std::strerror(errno));
    watch(wake_, EPOLLIN, kWakeKey, EPOLL_CTL_ADD);
    for (std::size_t i = 0; i < connections_.size(); ++i) {
      connections_[i].loop = this;
      connections_[i].index = i;
    }
    nghttp2_session_callbacks_new(&callbacks_);
    nghttp2_session_callbacks_set_on_header_callback(callbacks_, &Loop::on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks_, &Loop::on_data_chunk_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks_, &Loop::on_stream_close);
    thread_ = std::thread([this] { run(); });
  }

  ~Loop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake();
    thread_.join();
    nghttp2_session_callbacks_del(callbacks_);
    ::close(wake_);
    ::close(epoll_);
  }

  void submit(std::span<Operation> operations) {
    bool was_empty;
    {
      std::lock_guard lock(mutex_);
      was_empty = queued_.empty();
      for (auto& operation : operations) queued_.push_back(std::move(operation));
    }
    // Else the loop is already due to take the queue; and its own thread (a handler starting the next
    // request) takes it before it waits again.
    if (was_empty && std::this_thread::get_id() != thread_.get_id()) wake();
  }

 private:
  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof(one));
  }

  void watch(int fd, std::uint32_t events, std::uint64_t key, int op) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = key;
    epoll_ctl(epoll_, op, fd, &event);
  }

  void run() {
    epoll_event events[64];
    std::vector<Operation> operations;
    TimePoint next_sweep = SteadyClock::now() + kSweepPeriod;
    for (;;) {
      bool queued;
      {
        std::lock_guard lock(mutex_);
        queued = !queued_.empty();
      }
      const int n = epoll_wait(epoll_, events, 64, queued ? 0 : wait_ms(next_sweep));
      for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 == kWakeKey) {
          std::uint64_t count;
          (void)!::read(wake_, &count, sizeof(count));
          continue;
        }
        Connection& connection = connections_[events[i].data.u64];
        if (connection.fd < 0) continue;
        if (connection.connecting && (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) finish_connect(connection);
        if (connection.fd >= 0 && !connection.connecting && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) receive(connection);
        if (connection.fd >= 0) connection.touched = true;  // what it received may want an answer (WINDOW_UPDATE ...)
      }
      bool stopping;
      {
        std::lock_guard lock(mutex_);
        operations.swap(queued_);
        stopping = stopping_;
      }
      for (auto& operation : operations) apply(operation);
      operations.clear();
      const TimePoint now = SteadyClock::now();
      if (now >= next_sweep || now >= next_expiry_) {
        expire(now);
        next_sweep = now + kSweepPeriod;
      }
      for (auto& connection : connections_) {
        if (connection.touched) {
          connection.touched = false;
          flush(connection);
        }
      }
      report();
      if (stopping) break;
    }
    for (auto& connection : connections_) close_connection(connection, kCancelled, "the client shut down its transport");
    report();
  }

  // --- operations (the loop's thread) ---------------------------------------------------------------------

  void apply(Operation& operation) {
    GrpcH2Call& call = *operation.call;
    switch (operation.kind) {
      case Operation::Kind::kStart: return start(operation);
      case Operation::Kind::kWrite:
        if (call.stream_id < 0 || call.closed || call.last_queued) return;
        queue_message(call, operation.message, operation.last);
        if (call.deferred) {
          call.deferred = false;
          nghttp2_session_resume_data(connections_[call.connection].session, call.stream_id);
        }
        connections_[call.connection].touched = true;
        return;
      case Operation::Kind::kCancel:
        if (call.closed) return;
        if (call.stream_id < 0) {
          call.cancelled_before_start = true;
          return;
        }
        end_call(call, GrpcH2Call::Ending::kCancelled);
        return;
    }
  }

  static void queue_message(GrpcH2Call& call, std::string_view message, bool last) {
    if (!message.empty()) call.pending.emplace_back(message, call.messages++);
    if (last) call.last_queued = true;
  }

  void start(Operation& operation) {
    GrpcH2Call& call = *operation.call;
    if (call.stream_id >= 0 || call.closed) return;
    if (call.cancelled_before_start) return close_unstarted(operation.call, {kCancelled, "cancelled before it started", {}});
    Connection& connection = connections_[call.connection];
    if (connection.fd < 0 && !connect(connection)) {
      return close_unstarted(operation.call, {kUnavailable, connection.last_error, {}});
    }
    timeout_value_ = grpc_timeout_value(std::chrono::duration_cast<std::chrono::milliseconds>(call.deadline).count());
    std::vector<nghttp2_nv>& headers = headers_;
    headers.clear();
    headers.push_back(header(":method", "POST"));
    headers.push_back(header(":scheme", "http"));
    headers.push_back(header(":path", call.path));
    headers.push_back(header(":authority", endpoint_.address));
    headers.push_back(header("content-type", "application/grpc"));
    headers.push_back(header("te", "trailers"));
    headers.push_back(header("grpc-timeout", timeout_value_));
    headers.push_back(header("user-agent", "voxperf-nghttp2"));
    for (const auto& [key, value] : endpoint_.metadata) headers.push_back(header(key, value));
    queue_message(call, operation.message, operation.last);
    nghttp2_data_provider body{};
    body.source.ptr = &call;
    body.read_callback = &Loop::read_body;
    const std::int32_t id = nghttp2_submit_request(connection.session, nullptr, headers.data(), headers.size(), &body, &call);
    if (id < 0) {
      return close_unstarted(operation.call, {kInternal, endpoint_.address + " " + call.path + ": nghttp2 cannot start the call: " + nghttp2_strerror(id), {}});
    }
    call.stream_id = id;
    call.expires = SteadyClock::now() + call.deadline;
    next_expiry_ = std::min(next_expiry_, call.expires);
    connection.calls.emplace(id, std::move(operation.call));
    connection.touched = true;
  }

  void close_unstarted(std::shared_ptr<GrpcH2Call> call, Status status) {
    call->closed = true;
    closes_.emplace_back(std::move(call), std::move(status));
  }

  // Ends the call from this side: a RST_STREAM (CANCEL), and the close reports `ending`.
  void end_call(GrpcH2Call& call, GrpcH2Call::Ending ending) {
    if (call.ending != GrpcH2Call::Ending::kNone) return;
    call.ending = ending;
    Connection& connection = connections_[call.connection];
    nghttp2_submit_rst_stream(connection.session, NGHTTP2_FLAG_NONE, call.stream_id, NGHTTP2_CANCEL);
    connection.touched = true;
  }

  // Ends the calls whose deadline has passed and finds the next one due.
  void expire(TimePoint now) {
    next_expiry_ = TimePoint::max();
    for (auto& connection : connections_) {
      for (auto& [id, call] : connection.calls) {
        if (call->ending != GrpcH2Call::Ending::kNone) continue;
        if (call->expires <= now) {
          end_call(*call, GrpcH2Call::Ending::kDeadline);
        } else {
          next_expiry_ = std::min(next_expiry_, call->expires);
        }
      }
    }
  }

  // How long epoll may wait: until the next sweep or deadline, rounded up to whole milliseconds.
  int wait_ms(TimePoint next_sweep) const {
    const auto until = std::min(next_sweep, next_expiry_) - SteadyClock::now();
    if (until <= Nanos::zero()) return 0;
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(until).count());
  }

  // Handler callbacks queued this turn: writes first, then closes, so that on_close is each call's last.
  void report() {
    for (auto& [call, index] : written_) {
      if (!call->closed) call->handler->on_written(index);
    }
    written_.clear();
    for (auto& [call, status] : closes_) {
      GrpcH2Handler* handler = std::exchange(call->handler, nullptr);
      if (handler) handler->on_close(status);
    }
    closes_.clear();
  }

  // --- connections ----------------------------------------------------------------------------------------

  bool connect(Connection& connection) {
    const TimePoint now = SteadyClock::now();
    if (now < connection.retry_after) return false;  // last_error says why
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found); rc != 0) {
      return connect_failed(connection, std::string("cannot resolve: ") + gai_strerror(rc));
    }
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int rc = fd < 0 ? -1 : ::connect(fd, found->ai_addr, found->ai_addrlen);
    const int error = errno;
    freeaddrinfo(found);
    if (fd < 0 || (rc < 0 && error != EINPROGRESS)) {
      if (fd >= 0) ::close(fd);
      return connect_failed(connection, std::string("cannot connect: ") + std::strerror(error));
    }
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    connection.fd = fd;
    connection.connecting = rc < 0;
    connection.out.clear();
    connection.out_sent = 0;
    connection.polling_out = connection.connecting;
    watch(fd, connection.connecting ? EPOLLIN | EPOLLOUT : EPOLLIN, connection.index, EPOLL_CTL_ADD);
    nghttp2_session_client_new(&connection.session, callbacks_, &connection);
    // Windows wide enough that flow control never holds a response back: what is measured is the server.
    const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
                                               {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1u << 24}};
    nghttp2_submit_settings(connection.session, NGHTTP2_FLAG_NONE, settings, 2);
    nghttp2_session_set_local_window_size(connection.session, NGHTTP2_FLAG_NONE, 0, 1 << 30);
    connection.touched = true;
    return true;
  }

  bool connect_failed(Connection& connection, std::string why) {
    connection.last_error = endpoint_.address + ": " + why;
    connection.retry_after = SteadyClock::now() + kReconnectBackoff;
    return false;
  }

  void finish_connect(Connection& connection) {
    int error = 0;
    socklen_t size = sizeof(error);
    getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      connect_failed(connection, std::string("cannot connect: ") + std::strerror(error));
      return close_connection(connection, kUnavailable, connection.last_error);
    }
    connection.connecting = false;
    connection.touched = true;
  }

  // Every call still open on it ends with `code`; the next call connects again.
  void close_connection(Connection& connection, int code, const std::string& why) {
    if (connection.fd < 0) return;
    for (auto& [id, call] : connection.calls) {
      if (call->closed) continue;
      call->closed = true;
      const bool cancelled = call->ending == GrpcH2Call::Ending::kCancelled;
      closes_.emplace_back(call, Status{cancelled ? kCancelled : code, cancelled ? "cancelled by the client" : why, {}});
    }
    connection.calls.clear();
    nghttp2_session_del(connection.session);
    connection.session = nullptr;
    ::close(connection.fd);  // also leaves the epoll set
    connection.fd = -1;
    connection.connecting = false;
    connection.polling_out = false;
  }

  void receive(Connection& connection) {
    // Level-triggered: what is not read now is read at the next turn.
    for (std::size_t total = 0; total < (1u << 20);) {
      const ssize_t n = ::recv(connection.fd, buffer_, sizeof(buffer_), 0);
      if (n > 0) {
        total += static_cast<std::size_t>(n);
        const ssize_t rc = nghttp2_session_mem_recv(connection.session, buffer_, static_cast<std::size_t>(n));
        if (rc < 0) {
          return close_connection(connection, kUnavailable,
                                  endpoint_.address + ": not gRPC over HTTP/2 (" + nghttp2_strerror(static_cast<int>(rc)) + ")");
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return close_connection(connection, kUnavailable,
                              endpoint_.address + ": connection lost (" + (n == 0 ? "closed by the server" : std::strerror(errno)) + ")");
    }
  }

  void flush(Connection& connection) {
    if (connection.fd < 0 || connection.connecting) return;
    for (;;) {
      if (connection.out_sent == connection.out.size()) {
        connection.out.clear();
        connection.out_sent = 0;
      }
      while (connection.out.size() < (1u << 20)) {
        const std::uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(connection.session, &data);
        if (n < 0) return close_connection(connection, kInternal, endpoint_.address + ": " + nghttp2_strerror(static_cast<int>(n)));
        if (n == 0) break;
        connection.out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
      }
      if (connection.out_sent == connection.out.size()) break;
      const ssize_t n = ::send(connection.fd, connection.out.data() + connection.out_sent,
                               connection.out.size() - connection.out_sent, MSG_NOSIGNAL);
      if (n > 0) {
        connection.out_sent += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return poll_out(connection, true);
      return close_connection(connection, kUnavailable,
                              endpoint_.address + ": connection lost (" + std::strerror(errno) + ")");
    }
    poll_out(connection, false);
    if (!nghttp2_session_want_read(connection.session) && !nghttp2_session_want_write(connection.session)) {
      close_connection(connection, kUnavailable, endpoint_.address + ": the server ended the connection (GOAWAY)");
    }
  }

  void poll_out(Connection& connection, bool on) {
    if (connection.polling_out == on) return;
    connection.polling_out = on;
    watch(connection.fd, on ? EPOLLIN | EPOLLOUT : EPOLLIN, connection.index, EPOLL_CTL_MOD);
  }

  // --- nghttp2 callbacks ----------------------------------------------------------------------------------

  static ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buffer, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source* source, void* user_data) {
    auto& call = *static_cast<GrpcH2Call*>(source->ptr);
    auto& connection = *static_cast<Connection*>(user_data);
    std::size_t n = 0;
    while (n < length && !call.pending.empty()) {
      const auto [message, index] = call.pending.front();
      const std::size_t take = std::min(length - n, message.size() - call.pending_taken);
      std::memcpy(buffer + n, message.data() + call.pending_taken, take);
      n += take;
      call.pending_taken += take;
      if (call.pending_taken == message.size()) {
        connection.loop->written_.emplace_back(call.shared_from_this(), index);
        call.pending.pop_front();
        call.pending_taken = 0;
      }
    }
    if (call.pending.empty()) {
      if (call.last_queued) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
      } else if (n == 0) {
        call.deferred = true;
        return NGHTTP2_ERR_DEFERRED;
      }
    }
    return static_cast<ssize_t>(n);
  }

  static int on_header(nghttp2_session* session, const nghttp2_frame* frame, const std::uint8_t* name,
                       std::size_t name_size, const std::uint8_t* value, std::size_t value_size, std::uint8_t,
                       void*) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    auto* call = static_cast<GrpcH2Call*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
    if (!call) return 0;
    const std::string_view key(reinterpret_cast<const char*>(name), name_size);
    const std::string_view text(reinterpret_cast<const char*>(value), value_size);
    if (key == ":status") {
      call->http_status = std::atoi(std::string(text).c_str());
    } else if (key == "grpc-status") {
      call->grpc_status = std::atoi(std::string(text).c_str());
    } else if (key == "grpc-message") {
      call->grpc_message = grpc_message_text(text);
    }
    return 0;
  }

  static int on_data_chunk_recv(nghttp2_session* session, std::uint8_t, std::int32_t stream_id,
                                const std::uint8_t* data, std::size_t length, void* user_data) {
    auto* call = static_cast<GrpcH2Call*>(nghttp2_session_get_stream_user_data(session, stream_id));
    if (!call || call->closed || call->ending != GrpcH2Call::Ending::kNone) return 0;
    auto& loop = *static_cast<Connection*>(user_data)->loop;
    const auto error = call->reader.add(
        std::string_view(reinterpret_cast<const char*>(data), length),
        [call](std::string_view message) { call->handler->on_message(message); }, loop.endpoint_.max_message_bytes);
    if (error) {
      call->bad_response = *error;
      loop.end_call(*call, GrpcH2Call::Ending::kBadResponse);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t error_code, void* user_data) {
    auto& connection = *static_cast<Connection*>(user_data);
    auto it = connection.calls.find(stream_id);
    if (it == connection.calls.end()) return 0;
    std::shared_ptr<GrpcH2Call> call = std::move(it->second);
    connection.calls.erase(it);
    if (call->closed) return 0;
    call->closed = true;
    Status status = connection.loop->close_status(*call, error_code);
    connection.loop->closes_.emplace_back(std::move(call), std::move(status));
    return 0;
  }

  // How a call ended, as grpc++ would report it.
  Status close_status(const GrpcH2Call& call, std::uint32_t error_code) const {
    const std::string where = endpoint_.address + " " + call.path;
    switch (call.ending) {
      case GrpcH2Call::Ending::kCancelled: return {kCancelled, "cancelled by the client", {}};
      case GrpcH2Call::Ending::kDeadline: return {kDeadlineExceeded, "deadline exceeded", {}};
      case GrpcH2Call::Ending::kBadResponse: return {kInternal, where + ": the response is not gRPC: " + call.bad_response, {}};
      case GrpcH2Call::Ending::kNone: break;
    }
    if (call.grpc_status) {
      if (*call.grpc_status == 0 && call.reader.pending() > 0) {
        return {kInternal, where + ": the stream ended inside a message", {}};
      }
      return {*call.grpc_status, call.grpc_message, {}};
    }
    if (error_code != NGHTTP2_NO_ERROR) {
      const int code = error_code == NGHTTP2_REFUSED_STREAM ? kUnavailable : error_code == NGHTTP2_CANCEL ? kCancelled : kInternal;
      return {code, where + ": stream reset by the server (" + nghttp2_http2_strerror(error_code) + ")", {}};
    }
    if (call.http_status != 200) {
      return {grpc_code_of_http(call.http_status), where + ": HTTP status " + std::to_string(call.http_status), {}};
    }
    return {kInternal, where + ": the response ended without grpc-status", {}};
  }

  const GrpcH2Endpoint& endpoint_;
  std::string host_, port_;
  std::vector<Connection> connections_;
  nghttp2_session_callbacks* callbacks_ = nullptr;
  int epoll_ = -1;
  int wake_ = -1;
  std::vector<nghttp2_nv> headers_;  // reused by every start
  std::string timeout_value_;
  TimePoint next_expiry_ = TimePoint::max();  // the earliest deadline of a started call (or later)
  std::vector<std::pair<std::shared_ptr<GrpcH2Call>, std::size_t>> written_;
  std::vector<std::pair<std::shared_ptr<GrpcH2Call>, Status>> closes_;
  std::uint8_t buffer_[1 << 16];
  std::mutex mutex_;
  std::vector<Operation> queued_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above is ready
};

GrpcH2Transport::GrpcH2Transport(GrpcH2Endpoint endpoint)
    : endpoint_(std::move(endpoint)), loop_(std::make_unique<Loop>(endpoint_)) {}

GrpcH2Transport::~GrpcH2Transport() = default;

std::shared_ptr<GrpcH2Call> GrpcH2Transport::call(const std::string& path, Nanos deadline, GrpcH2Handler& handler) {
  const std::size_t connection = next_connection_.fetch_add(1, std::memory_order_relaxed) % std::max<std::size_t>(1, endpoint_.connections);
  return std::make_shared<GrpcH2Call>(path, deadline, handler, connection);
}

void GrpcH2Transport::submit(std::span<Operation> operations) { loop_->submit(operations); }

}  // namespace voxperf
