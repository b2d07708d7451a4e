// One generated stub per channel of a ChannelPool, handed out round-robin.
#pragma once

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

}  // namespace voxperf
