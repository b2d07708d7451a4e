// Several gRPC channels (HTTP/2 connections) to one endpoint, used round-robin, so that thousands of streams
// are not forced onto one connection and its flow-control window.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/clock.h"

namespace voxperf {

struct Endpoint {
  std::string address;  // host:port
  std::shared_ptr<grpc::ChannelCredentials> credentials;  // null: plaintext
  std::size_t channels = 1;
  int max_message_bytes = 64 << 20;  // batch TTS of long text passes gRPC's 4 MiB default
  std::string tls_server_name;  // TLS: the name to expect in the server's certificate, when not the host's
};

class ChannelPool {
 public:
  explicit ChannelPool(Endpoint endpoint);
  // Waits (at most 10 s) until gRPC has let go of every unary call made through held().
  ~ChannelPool();
  ChannelPool(const ChannelPool&) = delete;
  ChannelPool& operator=(const ChannelPool&) = delete;

  const Endpoint& endpoint() const { return endpoint_; }
  std::size_t size() const { return channels_.size(); }
  const std::shared_ptr<grpc::Channel>& channel(std::size_t i) const { return channels_[i]; }
  std::size_t next_index() { return next_.fetch_add(1, std::memory_order_relaxed) % channels_.size(); }

  // Wraps a unary call's completion callback so that the pool can tell when gRPC is done with the call. gRPC
  // 1.51 runs the callback, then unrefs the call, which holds a reference to its channel; the wrapper (and
  // the hold it captures) is destroyed only after that. Were the pool's channels dropped in between, the
  // last channel reference would fall on gRPC's callback thread, which 1.51 does not survive (an assertion
  // in ref_counted.h, or a crash; grpc/grpc PR #32584): a client destroyed right after its last callback.
  std::function<void(grpc::Status)> held(std::function<void(grpc::Status)> callback);

  // Connects every channel; throws InputError naming the endpoint when one is not ready within `timeout`.
  void wait_connected(Nanos timeout) const;

 private:
  Endpoint endpoint_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::atomic<std::size_t> next_{0};
  struct Holds {
    std::atomic<std::size_t> count{0};
    std::mutex mutex;  // taken only to wake the destructor when the count reaches 0
    std::condition_variable released;
  };
  std::shared_ptr<Holds> holds_ = std::make_shared<Holds>();
};

}  // namespace voxperf
