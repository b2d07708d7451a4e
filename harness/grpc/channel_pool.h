// Several gRPC channels (HTTP/2 connections) to one endpoint, used round-robin, so that thousands of streams
// are not forced onto one connection and its flow-control window.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
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

  const Endpoint& endpoint() const { return endpoint_; }
  std::size_t size() const { return channels_.size(); }
  const std::shared_ptr<grpc::Channel>& channel(std::size_t i) const { return channels_[i]; }
  std::size_t next_index() { return next_.fetch_add(1, std::memory_order_relaxed) % channels_.size(); }

  // Connects every channel; throws InputError naming the endpoint when one is not ready within `timeout`.
  void wait_connected(Nanos timeout) const;

 private:
  Endpoint endpoint_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace voxperf
