#include "server/null/null_server.h"

#include <grpcpp/health_check_service_interface.h>

#include <chrono>

#include "harness/grpc/completion_queues.h"
#include "harness/input_error.h"
#include "server/http_listener.h"
#include "server/null/nghttp2_asr_server.h"
#include "server/null/null_kserve.h"
#include "server/null/null_openai.h"
#include "server/null/null_riva.h"

namespace voxperf::nullserver {
namespace {

std::string host_port(const std::string& host, int port) { return host + ":" + std::to_string(port); }

}  // namespace

NullServer::NullServer(const NullServerOptions& options)
    : options_(options), script_(options.first_delay, options.later_delay, timers_, options.seed) {
  script_.tts_seconds_per_char = options_.tts_seconds_per_char;
  script_.llm_tokens = options_.llm_tokens;
  if (options_.grpc_server == GrpcServer::kNghttp2) {
    nghttp2_ = std::make_unique<Nghttp2AsrServer>(script_, options_.host, options_.port, options_.max_message_bytes,
                                                  CompletionQueues::default_count());
    port_ = nghttp2_->port();
    start_http();
    return;
  }
  asr_ = std::make_unique<NullAsrService>(script_);
  tts_ = std::make_unique<NullTtsService>(script_);
  kserve_ = std::make_unique<NullKServeService>(script_);
  const std::string listen = host_port(options_.host, options_.port);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &bound);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);  // a port in use is an error, not shared
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.RegisterService(asr_.get());
  builder.RegisterService(tts_.get());
  builder.RegisterService(kserve_.get());
  std::vector<grpc::ServerCompletionQueue*> stream_queues;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> owned_queues;
  for (std::size_t i = 0; i < CompletionQueues::default_count(); ++i) {
    auto queue = builder.AddCompletionQueue();
    stream_queues.push_back(queue.get());
    owned_queues.push_back(std::move(queue));
  }
  server_ = builder.BuildAndStart();
  if (!server_ || bound == 0) {
    throw InputError("--host/--port: could not listen on " + listen + " (address in use or not local?)");
  }
  port_ = bound;
  stream_queues_ = std::make_unique<CompletionQueues>(std::move(owned_queues));
  for (auto* queue : stream_queues) asr_->serve_streams(queue);
  start_http();
  auto* health = server_->GetHealthCheckService();
  for (const char* service : {"", "nvidia.riva.asr.RivaSpeechRecognition", "nvidia.riva.tts.RivaSpeechSynthesis",
                              "inference.GRPCInferenceService"}) {
    health->SetServingStatus(service, true);
  }
}

NullServer::~NullServer() { shutdown(); }

void NullServer::start_http() {
  http_ = std::make_unique<refserver::HttpListener>(options_.http_connections);
  openai_ = std::make_unique<NullOpenAi>(script_, http_->server());
  http_->start(options_.host, options_.http_port);
}

void NullServer::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  if (nghttp2_) {
    nghttp2_->stop();
    http_->stop();
    return;
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now());  // cancels what runs; its delayed answers still end it
  asr_->wait_streams_ended();
  stream_queues_.reset();
  server_->Wait();
  http_->stop();
}

int NullServer::http_port() const { return http_->port(); }
std::string NullServer::address() const { return host_port(options_.host, port_); }
std::string NullServer::http_address() const { return host_port(options_.host, http_->port()); }

std::string NullServer::describe() const {
  if (nghttp2_) {
    return "null Riva ASR on nghttp2 (Recognize, StreamingRecognize, GetRivaSpeechRecognitionConfig) on " + address() +
           ", null OpenAI API on " + http_address() + "; first answer after " + options_.first_delay.describe() +
           " ms, each later one after " + options_.later_delay.describe() + " ms";
  }
  return "null Riva ASR/TTS and KServe (model " + std::string(NullKServeService::kModelName) + ") on " + address() +
         ", null OpenAI API on " + http_address() + "; first answer after " +
         options_.first_delay.describe() + " ms, each later one after " + options_.later_delay.describe() + " ms";
}

std::string NullServer::activity() const {
  return std::to_string(script_.requests.load()) + " calls and streams, " + std::to_string(script_.messages.load()) +
         " messages received";
}

}  // namespace voxperf::nullserver
