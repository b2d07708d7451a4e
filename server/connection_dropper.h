// Closes the TCP connection a call arrived on, for the "dropped connection" fault. The server's own listener
// can not do that, so when the fault is on, clients connect through TcpRelay (tcp_relay.h), which can.
#pragma once

#include <string>

namespace voxperf::refserver {

class ConnectionDropper {
 public:
  virtual ~ConnectionDropper() = default;
  // `peer` is the call's ServerContext::peer() ("ipv4:127.0.0.1:40412"). Closes that connection, which fails
  // every call on it with UNAVAILABLE at the client.
  virtual void drop(const std::string& peer) = 0;
};

}  // namespace voxperf::refserver
