#include "server/null/nghttp2_asr_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <queue>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "harness/input_error.h"
#include "server/null/null_riva.h"

namespace voxperf::nullserver {
namespace {

using namespace nvidia::riva::asr;

// epoll keys: the three descriptors every worker has, then its connections.
constexpr std::uint64_t kListenKey = 0, kTimerKey = 1, kStopKey = 2, kFirstConnectionKey = 3;

// gRPC status codes used here (grpc/status.h's numbers).
constexpr int kOk = 0, kInvalidArgument = 3, kResourceExhausted = 8, kUnimplemented = 12;

enum class Method { kUnknown, kStreamingRecognize, kRecognize, kConfig };

Method method_of(std::string_view path) {
  constexpr std::string_view service = "/nvidia.riva.asr.RivaSpeechRecognition/";
  if (path.substr(0, service.size()) != service) return Method::kUnknown;
  const std::string_view name = path.substr(service.size());
  if (name == "StreamingRecognize") return Method::kStreamingRecognize;
  if (name == "Recognize") return Method::kRecognize;
  if (name == "GetRivaSpeechRecognitionConfig") return Method::kConfig;
  return Method::kUnknown;
}

// A message as gRPC frames it: a compression flag of 0, the length (big-endian), the bytes.
void append_framed(std::string& out, const google::protobuf::MessageLite& message) {
  const std::size_t size = message.ByteSizeLong();
  const std::size_t at = out.size();
  out.resize(at + 5 + size);
  auto* p = reinterpret_cast<std::uint8_t*>(out.data() + at);
  p[0] = 0;
  for (int i = 0; i < 4; ++i) p[1 + i] = static_cast<std::uint8_t>(size >> (8 * (3 - i)));
  message.SerializeWithCachedSizesToArray(p + 5);
}

nghttp2_nv header(std::string_view name, std::string_view value) {
  // nghttp2 copies names and values when the frame is submitted.
  return {const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(name.data())),
          const_cast<std::uint8_t*>(reinterpret_cast<const std::uint8_t*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

// One call: what its request said so far, and what is still to go out to it.
struct Stream {
  std::int32_t id = 0;
  Method method = Method::kUnknown;
  std::string path;
  std::string partial;  // the bytes of a request message not yet complete
  std::size_t messages = 0;
  std::string request;  // a unary call's one message
  std::size_t audio_bytes = 0;
  int sample_rate = 16000, channels = 1;
  bool interim = false;
  double seconds = 0;  // a Recognize call's audio
  bool answering = false;  // the final is scheduled or sent: later request bytes are ignored
  // The response side.
  bool responded = false;  // headers submitted, with `out` as the data source
  bool deferred = false;   // nghttp2 waits for more of `out` or the end
  bool ended = false;      // nothing more will be added to `out`: the trailers follow it
  int status = kOk;
  std::string status_message;
  std::string out;
  std::size_t out_taken = 0;
};

struct Due {
  TimePoint at;
  std::uint64_t connection;
  std::int32_t stream;
  bool operator>(const Due& other) const { return at > other.at; }
};

}  // namespace

class Nghttp2AsrServer::Worker {
  // One client connection: its HTTP/2 session, its calls, the bytes nghttp2 gave that the socket has not yet taken.
  struct Connection {
    std::uint64_t key = 0;
    int fd = -1;
    nghttp2_session* session = nullptr;
    std::unordered_map<std::int32_t, std::unique_ptr<Stream>> streams;
    std::string out;
    std::size_t out_sent = 0;
    bool polling_out = false;
    bool touched = false;  // to flush at the end of this turn of the loop
    bool dead = false;
    Worker* worker = nullptr;  // the one that owns it
  };

 public:
  Worker(Nghttp2AsrServer& server, int listen_fd) : server_(server), listen_fd_(listen_fd) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    stop_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || timer_ < 0 || stop_ < 0) throw std::runtime_error(std::string("nghttp2 worker: ") + strerror(errno));
    watch(listen_fd_, EPOLLIN | EPOLLEXCLUSIVE, kListenKey);
    watch(timer_, EPOLLIN, kTimerKey);
    watch(stop_, EPOLLIN, kStopKey);
    nghttp2_session_callbacks_new(&callbacks_);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks_, &Worker::on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks_, &Worker::on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks_, &Worker::on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks_, &Worker::on_data_chunk_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks_, &Worker::on_stream_close);
    thread_ = std::thread([this] { run(); });
  }

  ~Worker() {
    stop();
    for (auto& [key, connection] : connections_) release(*connection);
    nghttp2_session_callbacks_del(callbacks_);
    for (int fd : {epoll_, timer_, stop_}) ::close(fd);
  }

  void stop() {
    if (!thread_.joinable()) return;
    const std::uint64_t one = 1;
    if (::write(stop_, &one, sizeof(one)) < 0) {}  // an eventfd write only fails on overflow
    thread_.join();
  }

 private:
  void watch(int fd, std::uint32_t events, std::uint64_t key, int operation = EPOLL_CTL_ADD) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = key;
    epoll_ctl(epoll_, operation, fd, &event);
  }

  void run() {
    epoll_event events[256];
    for (;;) {
      const int n = epoll_wait(epoll_, events, 256, -1);
      if (n < 0 && errno != EINTR) return;
      for (int i = 0; i < n; ++i) {
        const std::uint64_t key = events[i].data.u64;
        if (key == kStopKey) return;
        if (key == kListenKey) {
          accept_all();
        } else if (key == kTimerKey) {
          std::uint64_t expirations = 0;
          if (::read(timer_, &expirations, sizeof(expirations)) < 0) {}  // nothing to read: fired already
          armed_ = TimePoint::max();
        } else if (auto it = connections_.find(key); it != connections_.end()) {
          Connection& connection = *it->second;
          if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) receive(connection);
          touch(connection);
        }
      }
      fire_due();
      // Every connection that took bytes or got answers this turn writes once: one send for all its streams.
      for (std::uint64_t key : touched_) {
        auto it = connections_.find(key);
        if (it == connections_.end()) continue;
        Connection& connection = *it->second;
        connection.touched = false;
        if (!connection.dead) flush(connection);
        if (connection.dead) {
          release(connection);
          connections_.erase(it);
        }
      }
      touched_.clear();
      arm_timer();
    }
  }

  void touch(Connection& connection) {
    if (connection.touched) return;
    connection.touched = true;
    touched_.push_back(connection.key);
  }

  void accept_all() {
    for (;;) {
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR) continue;
        return;  // EAGAIN: another worker took it, or none is left; anything else: try again at the next event
      }
      const int on = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
      auto connection = std::make_unique<Connection>();
      connection->key = next_key_++;
      connection->fd = fd;
      connection->worker = this;
      nghttp2_session_server_new(&connection->session, callbacks_, connection.get());
      // Room for 10,000 streams on one connection, and for their audio in flight, so that flow control never
      // holds the client back: what is measured is the client, not this server's windows.
      const nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 1u << 20},
                                                 {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1u << 20}};
      nghttp2_submit_settings(connection->session, NGHTTP2_FLAG_NONE, settings, 2);
      nghttp2_session_set_local_window_size(connection->session, NGHTTP2_FLAG_NONE, 0, 1 << 30);
      watch(fd, EPOLLIN, connection->key);
      touch(*connection);
      connections_.emplace(connection->key, std::move(connection));
    }
  }

  void release(Connection& connection) {
    nghttp2_session_del(connection.session);
    connection.session = nullptr;
    ::close(connection.fd);  // also leaves the epoll set
  }

  void receive(Connection& connection) {
    // Level-triggered: what is not read now is read at the next turn, so one busy connection does not
    // hold the others back.
    for (std::size_t total = 0; total < (1u << 20);) {
      const ssize_t n = ::recv(connection.fd, buffer_, sizeof(buffer_), 0);
      if (n > 0) {
        total += static_cast<std::size_t>(n);
        if (nghttp2_session_mem_recv(connection.session, buffer_, static_cast<std::size_t>(n)) < 0) {
          connection.dead = true;  // not HTTP/2, or broken beyond a GOAWAY
          return;
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      connection.dead = true;  // the peer closed, or the socket failed
      return;
    }
  }

  void flush(Connection& connection) {
    for (;;) {
      if (connection.out_sent == connection.out.size()) {
        connection.out.clear();
        connection.out_sent = 0;
      }
      while (connection.out.size() < (1u << 20)) {
        const std::uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(connection.session, &data);
        if (n < 0) {
          connection.dead = true;
          return;
        }
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
      connection.dead = true;
      return;
    }
    poll_out(connection, false);
    if (!nghttp2_session_want_read(connection.session) && !nghttp2_session_want_write(connection.session)) {
      connection.dead = true;  // both sides sent GOAWAY and everything went out
    }
  }

  void poll_out(Connection& connection, bool on) {
    if (connection.polling_out == on) return;
    connection.polling_out = on;
    watch(connection.fd, on ? EPOLLIN | EPOLLOUT : EPOLLIN, connection.key, EPOLL_CTL_MOD);
  }

  // --- timers ---------------------------------------------------------------------------------------------

  void after(Nanos delay, Connection& connection, Stream& stream) {
    if (delay <= Nanos::zero()) return answer(connection, stream);
    due_.push({SteadyClock::now() + delay, connection.key, stream.id});
  }

  void fire_due() {
    const TimePoint now = SteadyClock::now();
    while (!due_.empty() && due_.top().at <= now) {
      const Due due = due_.top();
      due_.pop();
      auto it = connections_.find(due.connection);
      if (it == connections_.end()) continue;  // the client went away meanwhile
      auto stream = it->second->streams.find(due.stream);
      if (stream == it->second->streams.end()) continue;  // cancelled meanwhile
      answer(*it->second, *stream->second);
      touch(*it->second);
    }
  }

  void arm_timer() {
    if (due_.empty() || due_.top().at == armed_) return;
    armed_ = due_.top().at;
    const auto ns = std::max<std::int64_t>(1, std::chrono::duration_cast<Nanos>(armed_.time_since_epoch()).count());
    itimerspec spec{};
    spec.it_value.tv_sec = ns / 1'000'000'000;
    spec.it_value.tv_nsec = ns % 1'000'000'000;
    // steady_clock is CLOCK_MONOTONIC on Linux, so its time points are the timer's absolute times.
    timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
  }

  // --- calls ----------------------------------------------------------------------------------------------

  NullScript& script() { return server_.script_; }

  // Headers now, with the stream's `out` as the body that follows.
  static void respond(Connection& connection, Stream& stream) {
    const nghttp2_nv headers[] = {header(":status", "200"), header("content-type", "application/grpc")};
    nghttp2_data_provider body{};
    body.source.ptr = &stream;
    body.read_callback = &Worker::read_body;
    nghttp2_submit_response(connection.session, stream.id, headers, 2, &body);
    stream.responded = true;
  }

  static void resume(Connection& connection, Stream& stream) {
    if (!stream.deferred) return;
    stream.deferred = false;
    nghttp2_session_resume_data(connection.session, stream.id);
  }

  // Ends the call with `status`: in the trailers after what was sent, or as a trailers-only response.
  static void end(Connection& connection, Stream& stream, int status, std::string message) {
    if (stream.ended) return;
    stream.ended = true;
    stream.answering = true;
    stream.status = status;
    stream.status_message = std::move(message);
    if (stream.responded) return resume(connection, stream);
    const std::string code = std::to_string(status);
    const nghttp2_nv headers[] = {header(":status", "200"), header("content-type", "application/grpc"),
                                  header("grpc-status", code), header("grpc-message", stream.status_message)};
    nghttp2_submit_response(connection.session, stream.id, headers, stream.status_message.empty() ? 3 : 4, nullptr);
  }

  static ssize_t read_body(nghttp2_session* session, std::int32_t, std::uint8_t* buffer, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source* source, void*) {
    auto& stream = *static_cast<Stream*>(source->ptr);
    const std::size_t n = std::min(length, stream.out.size() - stream.out_taken);
    std::memcpy(buffer, stream.out.data() + stream.out_taken, n);
    stream.out_taken += n;
    if (stream.out_taken == stream.out.size()) {
      stream.out.clear();
      stream.out_taken = 0;
    }
    if (stream.out.empty() && stream.ended) {
      *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
      const std::string code = std::to_string(stream.status);
      const nghttp2_nv trailers[] = {header("grpc-status", code), header("grpc-message", stream.status_message)};
      nghttp2_submit_trailer(session, stream.id, trailers, stream.status_message.empty() ? 1 : 2);
      return static_cast<ssize_t>(n);
    }
    if (n == 0) {
      stream.deferred = true;
      return NGHTTP2_ERR_DEFERRED;
    }
    return static_cast<ssize_t>(n);
  }

  void on_request_headers(Connection& connection, Stream& stream) {
    stream.method = method_of(stream.path);
    if (stream.method == Method::kUnknown) {
      return end(connection, stream, kUnimplemented,
                 "voxperf-nullserver --grpc-server nghttp2 serves Riva ASR only, not " + stream.path);
    }
    ++script().requests;
    // A stream's headers go out at once (as NullAsrService's do); a unary call's with its answer.
    if (stream.method == Method::kStreamingRecognize) respond(connection, stream);
  }

  void on_message(Connection& connection, Stream& stream, const std::uint8_t* data, std::size_t size) {
    ++script().messages;
    ++stream.messages;
    if (stream.method != Method::kStreamingRecognize) {
      if (stream.messages > 1) return end(connection, stream, kUnimplemented, "a unary call takes one request message");
      stream.request.assign(reinterpret_cast<const char*>(data), size);
      return;
    }
    if (!request_.ParseFromArray(data, static_cast<int>(size))) {
      return end(connection, stream, kInvalidArgument, "StreamingRecognizeRequest: not a valid message");
    }
    if (request_.has_streaming_config()) {
      const auto& config = request_.streaming_config();
      stream.sample_rate = config.config().sample_rate_hertz();
      stream.channels = config.config().audio_channel_count();
      stream.interim = config.interim_results();
      return;
    }
    stream.audio_bytes += request_.audio_content().size();
    if (!stream.interim) return;
    append_framed(stream.out, null_stream_result(false, pcm_seconds(stream.audio_bytes, stream.sample_rate, stream.channels)));
    resume(connection, stream);
  }

  // The client's half-close: the answer, after the script's first delay (the config list at once).
  void on_half_close(Connection& connection, Stream& stream) {
    if (stream.answering) return;
    stream.answering = true;
    if (stream.method == Method::kStreamingRecognize) return after(script().first.next(), connection, stream);
    if (stream.messages != 1) return end(connection, stream, kUnimplemented, "a unary call takes one request message");
    if (stream.method == Method::kConfig) {
      RivaSpeechRecognitionConfigRequest request;
      if (!request.ParseFromString(stream.request)) {
        return end(connection, stream, kInvalidArgument, "RivaSpeechRecognitionConfigRequest: not a valid message");
      }
      append_framed(stream.out, null_asr_config(script(), request.model_name()));
      respond(connection, stream);
      return end(connection, stream, kOk, "");
    }
    RecognizeRequest request;
    if (!request.ParseFromString(stream.request)) {
      return end(connection, stream, kInvalidArgument, "RecognizeRequest: not a valid message");
    }
    stream.seconds =
        pcm_seconds(request.audio().size(), request.config().sample_rate_hertz(), request.config().audio_channel_count());
    stream.request.clear();
    after(script().first.next(), connection, stream);
  }

  // The scripted answer is due.
  void answer(Connection& connection, Stream& stream) {
    if (stream.ended) return;
    if (stream.method == Method::kStreamingRecognize) {
      append_framed(stream.out, null_stream_result(true, pcm_seconds(stream.audio_bytes, stream.sample_rate, stream.channels)));
    } else {
      append_framed(stream.out, null_recognize_response(stream.seconds));
      respond(connection, stream);
    }
    end(connection, stream, kOk, "");
  }

  // Splits request bytes into gRPC messages; a message split over DATA frames waits in `partial`.
  void take(Connection& connection, Stream& stream, const std::uint8_t* data, std::size_t size) {
    if (!stream.partial.empty()) {
      stream.partial.append(reinterpret_cast<const char*>(data), size);
      const auto* whole = reinterpret_cast<const std::uint8_t*>(stream.partial.data());
      const std::size_t used = take_messages(connection, stream, whole, stream.partial.size());
      stream.partial.erase(0, used);
      return;
    }
    const std::size_t used = take_messages(connection, stream, data, size);
    if (used < size && !stream.answering) stream.partial.assign(reinterpret_cast<const char*>(data + used), size - used);
  }

  // The complete messages at the front of `data`; returns the bytes they took (all of them once the call is over).
  std::size_t take_messages(Connection& connection, Stream& stream, const std::uint8_t* data, std::size_t size) {
    std::size_t at = 0;
    while (!stream.answering && size - at >= 5) {
      const std::size_t length = (std::size_t{data[at + 1]} << 24) | (std::size_t{data[at + 2]} << 16) |
                                 (std::size_t{data[at + 3]} << 8) | std::size_t{data[at + 4]};
      if (data[at] != 0) {
        end(connection, stream, kUnimplemented, "compressed request messages are not supported");
        break;
      }
      if (length > server_.max_message_bytes_) {
        end(connection, stream, kResourceExhausted,
            "request message of " + std::to_string(length) + " bytes, over the limit of " +
                std::to_string(server_.max_message_bytes_));
        break;
      }
      if (size - at - 5 < length) return at;
      on_message(connection, stream, data + at + 5, length);
      at += 5 + length;
    }
    return stream.answering ? size : at;
  }

  // --- nghttp2 callbacks (user_data: the Connection) --------------------------------------------------------

  static int on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    auto& connection = *static_cast<Connection*>(user_data);
    auto stream = std::make_unique<Stream>();
    stream->id = frame->hd.stream_id;
    nghttp2_session_set_stream_user_data(session, stream->id, stream.get());
    connection.streams[stream->id] = std::move(stream);
    return 0;
  }

  static int on_header(nghttp2_session* session, const nghttp2_frame* frame, const std::uint8_t* name,
                       std::size_t name_length, const std::uint8_t* value, std::size_t value_length, std::uint8_t,
                       void*) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    auto* stream = static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
    if (stream && std::string_view(reinterpret_cast<const char*>(name), name_length) == ":path") {
      stream->path.assign(reinterpret_cast<const char*>(value), value_length);
    }
    return 0;
  }

  static int on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
    auto& connection = *static_cast<Connection*>(user_data);
    auto* stream = static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
    if (!stream) return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      connection.worker->on_request_headers(connection, *stream);
    }
    if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) connection.worker->on_half_close(connection, *stream);
    return 0;
  }

  static int on_data_chunk_recv(nghttp2_session* session, std::uint8_t, std::int32_t stream_id,
                                const std::uint8_t* data, std::size_t size, void* user_data) {
    auto& connection = *static_cast<Connection*>(user_data);
    auto* stream = static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, stream_id));
    if (stream && !stream->answering) connection.worker->take(connection, *stream, data, size);
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t, void* user_data) {
    static_cast<Connection*>(user_data)->streams.erase(stream_id);
    return 0;
  }

  Nghttp2AsrServer& server_;
  int listen_fd_;
  int epoll_ = -1, timer_ = -1, stop_ = -1;
  nghttp2_session_callbacks* callbacks_ = nullptr;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::uint64_t next_key_ = kFirstConnectionKey;
  std::vector<std::uint64_t> touched_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
  TimePoint armed_ = TimePoint::max();
  StreamingRecognizeRequest request_;  // reused for every streamed message
  std::uint8_t buffer_[256 * 1024];
  std::thread thread_;  // last: starts once everything above is built
};

Nghttp2AsrServer::Nghttp2AsrServer(NullScript& script, const std::string& host, int port, std::size_t max_message_bytes,
                                   std::size_t workers)
    : script_(script), max_message_bytes_(max_message_bytes) {
  const std::string where = "--host/--port: could not listen on " + host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found) {
    throw InputError(where + " (not a numeric IP address)");
  }
  listen_fd_ = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int on = 1;
  const bool listening = listen_fd_ >= 0 && setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == 0 &&
                         bind(listen_fd_, found->ai_addr, found->ai_addrlen) == 0 && listen(listen_fd_, 4096) == 0;
  const int error = errno;
  freeaddrinfo(found);
  if (!listening) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw InputError(where + " (" + strerror(error) + ")");
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i) {
    workers_.push_back(std::make_unique<Worker>(*this, listen_fd_));
  }
}

Nghttp2AsrServer::~Nghttp2AsrServer() { stop(); }

void Nghttp2AsrServer::stop() {
  workers_.clear();  // each stops its thread and closes its connections
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

}  // namespace voxperf::nullserver
