#include "harness/grpc/channel_pool.h"

#include <cstdio>

#include "harness/input_error.h"

namespace voxperf {
namespace {

const char* connectivity_name(grpc_connectivity_state state) {
  switch (state) {
    case GRPC_CHANNEL_IDLE: return "IDLE";
    case GRPC_CHANNEL_CONNECTING: return "CONNECTING";
    case GRPC_CHANNEL_READY: return "READY";
    case GRPC_CHANNEL_TRANSIENT_FAILURE: return "TRANSIENT_FAILURE";
    case GRPC_CHANNEL_SHUTDOWN: return "SHUTDOWN";
  }
  return "UNKNOWN";
}

}  // namespace

ChannelPool::ChannelPool(Endpoint endpoint) : endpoint_(std::move(endpoint)) {
  if (endpoint_.address.empty()) throw InputError("endpoint: address is empty");
  if (endpoint_.channels == 0) throw InputError("endpoint " + endpoint_.address + ": channels must be at least 1");
  auto credentials = endpoint_.credentials ? endpoint_.credentials : grpc::InsecureChannelCredentials();
  for (std::size_t i = 0; i < endpoint_.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(endpoint_.max_message_bytes);
    args.SetMaxSendMessageSize(endpoint_.max_message_bytes);
    // Without these, channels with equal arguments share one subchannel, i.e. one TCP connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("voxperf.channel_index", static_cast<int>(i));
    if (!endpoint_.tls_server_name.empty()) args.SetSslTargetNameOverride(endpoint_.tls_server_name);
    channels_.push_back(grpc::CreateCustomChannel(endpoint_.address, credentials, args));
  }
}

ChannelPool::~ChannelPool() {
  std::unique_lock lock(holds_->mutex);
  holds_->released.wait_for(lock, std::chrono::seconds(10), [&] { return holds_->count.load() == 0; });
}

std::function<void(grpc::Status)> ChannelPool::held(std::function<void(grpc::Status)> callback) {
  struct Hold {
    explicit Hold(std::shared_ptr<Holds> h) : holds(std::move(h)) { holds->count.fetch_add(1); }
    ~Hold() {
      if (holds->count.fetch_sub(1) != 1) return;
      std::lock_guard lock(holds->mutex);  // the destructor checks the count under it: no wake-up is lost
      holds->released.notify_all();
    }
    std::shared_ptr<Holds> holds;
  };
  return [hold = std::make_shared<Hold>(holds_), callback = std::move(callback)](grpc::Status status) {
    callback(std::move(status));
  };
}

void ChannelPool::wait_connected(Nanos timeout) const {
  const auto deadline = std::chrono::system_clock::now() + timeout;
  for (const auto& channel : channels_) {
    if (!channel->WaitForConnected(deadline)) {
      char seconds[32];
      std::snprintf(seconds, sizeof(seconds), "%.1f", std::chrono::duration<double>(timeout).count());
      throw InputError("endpoint " + endpoint_.address + ": not reachable within " + seconds +
                       " s (connection state " + connectivity_name(channel->GetState(false)) + ")");
    }
  }
}

}  // namespace voxperf
