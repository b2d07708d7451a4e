// voxperf-nullserver as a library: the null Riva ASR/TTS and KServe services and the gRPC health service
// on one port, the null OpenAI API on a second (null_riva.h, null_kserve.h, null_openai.h). With
// GrpcServer::kNghttp2 the first port serves Riva ASR alone, on nghttp2 (nghttp2_asr_server.h). A known-delay
// server for measuring voxperf itself: its answers cost next to no CPU and come after scripted delays, so
// voxperf's error is what it measures minus what was scripted, and its cost is all the CPU the run used.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "server/null/delay_model.h"
#include "server/null/null_script.h"

namespace voxperf {
class CompletionQueues;
}
namespace voxperf::refserver {
class HttpListener;
}

namespace voxperf::nullserver {

class NullAsrService;
class NullTtsService;
class NullKServeService;
class NullOpenAi;
class Nghttp2AsrServer;

// What serves the gRPC port: gRPC C++ (every null service), or nghttp2 (Riva ASR only, at a fraction of the CPU).
enum class GrpcServer { kGrpcCpp, kNghttp2 };

struct NullServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;       // gRPC; 0: the kernel picks a free one
  int http_port = 0;  // the OpenAI API; 0: the kernel picks a free one
  GrpcServer grpc_server = GrpcServer::kGrpcCpp;
  DelayModel first_delay;
  DelayModel later_delay;
  std::uint64_t seed = 1;
  std::size_t http_connections = 2048;  // HTTP connections served at once (a thread each)
  std::size_t max_message_bytes = 64u << 20;
  double tts_seconds_per_char = 0.065;
  std::size_t llm_tokens = 16;
};

class NullServer {
 public:
  // Starts listening. Throws InputError when an address can not be bound.
  explicit NullServer(const NullServerOptions& options);
  ~NullServer();
  NullServer(const NullServer&) = delete;
  NullServer& operator=(const NullServer&) = delete;

  // Cancels what is running and stops both listeners; returns when every call has ended.
  void shutdown();

  int port() const { return port_; }
  int http_port() const;
  std::string address() const;       // "127.0.0.1:PORT"
  std::string http_address() const;  // "127.0.0.1:HTTP_PORT"
  std::string describe() const;      // the settings, for the start log line
  std::string activity() const;      // what was served, for the stop log line

 private:
  void start_http();

  NullServerOptions options_;
  ThreadTimerQueue timers_;  // destroyed last: delayed answers of cancelled calls still run to their end
  NullScript script_;
  std::unique_ptr<NullAsrService> asr_;
  std::unique_ptr<NullTtsService> tts_;
  std::unique_ptr<NullKServeService> kserve_;
  std::unique_ptr<refserver::HttpListener> http_;
  std::unique_ptr<NullOpenAi> openai_;
  std::unique_ptr<Nghttp2AsrServer> nghttp2_;  // with GrpcServer::kNghttp2, instead of server_
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<CompletionQueues> stream_queues_;  // the ASR streams' (async API); shut down after server_
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace voxperf::nullserver
