// One generated stub per channel of a ChannelPool, handed out round-robin.
#pragma once

#include <grpcpp/generic/generic_stub.h>

#include <memory>
#include <vector>

#include "harness/grpc/channel_pool.h"

namespace voxperf {

template <class Service>
class StubPool {
 public:
  explicit StubPool(ChannelPool& channels) : channels_(channels) {
    for (std::size_t i = 0; i < channels.size(); ++i) stubs_.push_back(Service::NewStub(channels.channel(i)));
  }
  typename Service::Stub& next() { return *stubs_[channels_.next_index()]; }
  // A unary call's callback, held until gRPC lets go of the call (ChannelPool::held).
  std::function<void(grpc::Status)> held(std::function<void(grpc::Status)> callback) {
    return channels_.held(std::move(callback));
  }

 private:
  ChannelPool& channels_;
  std::vector<std::unique_ptr<typename Service::Stub>> stubs_;
};

// One generic stub per channel, for calls that send pre-serialized requests (grpc::ByteBuffer) and read typed
// answers.
template <class Request, class Response>
class GenericStubPool {
 public:
  using Stub = grpc::TemplatedGenericStub<Request, Response>;
  explicit GenericStubPool(ChannelPool& channels) : channels_(channels) {
    for (std::size_t i = 0; i < channels.size(); ++i) stubs_.push_back(std::make_unique<Stub>(channels.channel(i)));
  }
  Stub& next() { return *stubs_[channels_.next_index()]; }
  // The round-robin choice as an index, for a caller that groups its calls by channel.
  std::size_t next_index() { return channels_.next_index(); }
  Stub& at(std::size_t channel) { return *stubs_[channel]; }
  std::size_t size() const { return stubs_.size(); }

 private:
  ChannelPool& channels_;
  std::vector<std::unique_ptr<Stub>> stubs_;
};

}  // namespace voxperf
