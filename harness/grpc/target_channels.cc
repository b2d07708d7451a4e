#include "harness/grpc/target_channels.h"

#include "harness/grpc/channel_credentials.h"

namespace voxperf {

std::unique_ptr<ChannelPool> open_channels(const Target& target, const std::string& address) {
  Endpoint endpoint;
  endpoint.address = address;
  endpoint.channels = target.channels;
  endpoint.max_message_bytes = static_cast<int>(target.max_message_bytes);
  endpoint.credentials = channel_credentials(target.tls);
  endpoint.tls_server_name = target.tls.server_name;
  return std::make_unique<ChannelPool>(endpoint);
}

CallSettings call_settings(const Target& target) {
  CallSettings call;
  call.deadline = target.deadline;
  call.metadata = target.metadata;
  return call;
}

}  // namespace voxperf
