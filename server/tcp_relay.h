// A TCP relay in front of the gRPC listener, used only when the "dropped connection" fault is on: clients
// connect to the relay, the relay connects to gRPC on loopback and copies bytes both ways, and drop() closes
// a pair of sockets so the client sees a real connection loss (UNAVAILABLE), not a tidy gRPC status.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "server/connection_dropper.h"

namespace voxperf::refserver {

class TcpRelay final : public ConnectionDropper {
 public:
  // Listens on host:port (0 picks one) and relays to 127.0.0.1:backend_port. Throws InputError on bind failure.
  TcpRelay(const std::string& host, int port, int backend_port);
  ~TcpRelay() override;
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  int port() const { return port_; }
  void stop_accepting();
  // Returns once the connection is closed, so nothing the server writes after this reaches the client.
  void drop(const std::string& peer) override;

 private:
  struct Pair;
  void loop();
  void accept_one();
  void wake();

  int listener_ = -1;
  int port_ = 0;
  int backend_port_ = 0;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;
  std::condition_variable drop_done_cv_;
  std::uint64_t drops_requested_ = 0, drops_done_ = 0;
  std::set<int> to_drop_;  // backend-side local ports, as gRPC's peer() names them
  bool close_listener_ = false;

  std::map<int, Pair*> pairs_;  // by backend-side local port; relay thread only
  std::thread thread_;
};

}  // namespace voxperf::refserver
