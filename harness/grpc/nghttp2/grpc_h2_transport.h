// gRPC calls on plaintext HTTP/2 (h2c, prior knowledge) through nghttp2, without grpc++: the transport for
// load that grpc++ cannot drive from two cores. Debian's grpc++ spends about 21 us of client CPU per
// streaming message (its debug checks included), so 10,000 paced streams (62,500 chunks a second) need more
// than one core for the client alone; here a message costs a memcpy into nghttp2's frame and a share of one
// send() per connection per turn of the loop.
//
// One thread runs every connection (an epoll loop); other threads hand it operations (start a call, write a
// message, cancel) through a queue, woken by an eventfd only when the queue was empty, so that operations
// submitted together (the pacer's chunks that came due in one pass) go out in one write per connection.
// What a call hears back (its messages, its end) runs on that thread. TLS is not spoken: a TLS target keeps
// grpc++ (riva_asr's "transport" field says so).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "harness/clock.h"
#include "harness/status.h"

namespace voxperf {

// What a call hears back. Every method runs on the transport's thread; on_close is the last, exactly once.
class GrpcH2Handler {
 public:
  virtual ~GrpcH2Handler() = default;
  // One response message, unframed; the view lasts for the call only.
  virtual void on_message(std::string_view message) = 0;
  // Request message number `index` (0: the one the call started with) was handed to the socket.
  virtual void on_written(std::size_t index) { (void)index; }
  virtual void on_close(const Status& status) = 0;
};

struct GrpcH2Endpoint {
  std::string address;     // host:port, or [v6 address]:port
  std::size_t connections = 4;
  // Sent with every call, as grpc++ sends a ClientContext's metadata. Values are secrets: never printed.
  std::vector<std::pair<std::string, std::string>> metadata;
  std::size_t max_message_bytes = 64u << 20;
};

class GrpcH2Call;

class GrpcH2Transport {
 public:
  // Connects lazily: an unreachable endpoint shows up as calls ending UNAVAILABLE, naming it.
  // Throws InputError when the address is not host:port.
  explicit GrpcH2Transport(GrpcH2Endpoint endpoint);
  // Ends every call still open (CANCELLED) and joins the thread. Calls' handlers must outlive the transport
  // or have heard on_close.
  ~GrpcH2Transport();
  GrpcH2Transport(const GrpcH2Transport&) = delete;
  GrpcH2Transport& operator=(const GrpcH2Transport&) = delete;

  const GrpcH2Endpoint& endpoint() const { return endpoint_; }

  // A call of `path` ("/package.Service/Method") on the next connection (round-robin), not started yet.
  // The deadline counts from start.
  std::shared_ptr<GrpcH2Call> call(const std::string& path, Nanos deadline, GrpcH2Handler& handler);

  // One operation on a call. A message is framed already (grpc_framed) and must stay alive, unchanged,
  // until on_written has reported it or the call has closed.
  struct Operation {
    enum class Kind : std::uint8_t { kStart, kWrite, kCancel };
    Kind kind;
    std::shared_ptr<GrpcH2Call> call;
    std::string_view message;  // kStart: the first message (may be empty: none yet); kWrite: the message
    bool last = false;         // the client's half-close follows this message
  };
  // Thread-safe. Operations on one call apply in the order given; writes after a half-close, or on a
  // call that has closed, are dropped.
  void submit(std::span<Operation> operations);
  void submit(Operation operation) { submit(std::span<Operation>(&operation, 1)); }

 private:
  class Loop;
  GrpcH2Endpoint endpoint_;
  std::atomic<std::size_t> next_connection_{0};
  std::unique_ptr<Loop> loop_;
};

}  // namespace voxperf
