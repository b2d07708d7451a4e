// Riva ASR for voxperf-nullserver served with nghttp2 and epoll instead of gRPC C++ (--grpc-server nghttp2):
// StreamingRecognize, Recognize and GetRivaSpeechRecognitionConfig, with NullAsrService's answers and script,
// on the same wire (HTTP/2, gRPC's length-prefixed messages, grpc-status in the trailers). Any other method
// is answered UNIMPLEMENTED.
//
// Why a second server: gRPC C++ costs the null server about 17 us of CPU per streamed message here (Debian's
// libgrpc is built with its debug checks), half of what 10,000 paced streams on 2 cores may spend in both
// processes together; the client, which is what is measured, then competes with its own server. An event
// loop that parses HTTP/2 frames and answers from pre-built messages costs a fraction of that.
//
// One thread per worker, each with its own epoll: every worker waits on the one listening socket
// (EPOLLEXCLUSIVE, so one of them takes each connection), owns the connections it accepted and their
// streams, and holds their delayed answers on its own timer (a timerfd), so nothing is shared between
// threads but the script's counters and draws.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "server/null/null_script.h"

namespace voxperf::nullserver {

class Nghttp2AsrServer {
 public:
  // Listens on host:port (0: the kernel picks) and starts `workers` threads. Throws InputError when the
  // address can not be bound.
  Nghttp2AsrServer(NullScript& script, const std::string& host, int port, std::size_t max_message_bytes,
                   std::size_t workers);
  ~Nghttp2AsrServer();
  Nghttp2AsrServer(const Nghttp2AsrServer&) = delete;
  Nghttp2AsrServer& operator=(const Nghttp2AsrServer&) = delete;

  int port() const { return port_; }
  // Closes every connection (streams still open end without an answer) and joins the workers.
  void stop();

 private:
  class Worker;
  NullScript& script_;
  std::size_t max_message_bytes_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace voxperf::nullserver
