#include "server/ref_server.h"

#include <grpcpp/health_check_service_interface.h>

#include <sstream>
#include <thread>

#include "harness/input_error.h"
#include "server/acoustic_model.h"
#include "server/asr_service.h"
#include "server/espeak_engine.h"
#include "server/kserve_service.h"
#include "server/llm_engine.h"
#include "server/ngram_lm.h"
#include "server/http_listener.h"
#include "server/openai_service.h"
#include "server/speech_http.h"
#include "server/transcription_http.h"
#include "server/service_context.h"
#include "server/tcp_relay.h"
#include "server/tts_service.h"
#include "server/worker_pool.h"

namespace voxperf::refserver {
namespace {

const char* const kServices[] = {"nvidia.riva.asr.RivaSpeechRecognition", "nvidia.riva.tts.RivaSpeechSynthesis",
                                 "inference.GRPCInferenceService"};

std::string host_port(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

RefServer::RefServer(RefServerOptions options) : options_(std::move(options)) {
  options_.asr_model.check();
  if (options_.workers == 0) options_.workers = std::max(1u, std::thread::hardware_concurrency());
  if (options_.timers == nullptr) {
    own_timers_ = std::make_unique<ThreadTimerQueue>();
    options_.timers = own_timers_.get();
  }
  context_ = std::make_unique<ServiceContext>();
  context_->profile = options_.profile;
  context_->faults = options_.faults;
  context_->timers = options_.timers;
  if (options_.clock != nullptr) context_->clock = options_.clock;
  workers_ = std::make_unique<WorkerPool>(options_.workers);
  espeak_ = std::make_unique<EspeakEngine>(options_.tts_segment_hook, options_.faults.slowdown);
  asr_ = std::make_unique<AsrService>(*context_, *workers_, options_.asr_model);
  tts_ = std::make_unique<TtsService>(*context_, *espeak_);
  acoustic_ = std::make_unique<AcousticModel>(*context_, *workers_, options_.asr_model, options_.kserve_sequence_idle);
  kserve_ = std::make_unique<KServeService>(*context_, *acoustic_);

  // With the drop fault on, gRPC listens on a private loopback port and clients come in through the relay,
  // which can close a connection; otherwise gRPC listens on the public address itself.
  const bool relay = options_.faults.drop_fraction > 0;
  const std::string listen = relay ? "127.0.0.1:0" : host_port(options_.host, options_.port);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &bound);
  // gRPC sets SO_REUSEPORT by default, which would let a second server share a port in use without a word.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.RegisterService(asr_.get());
  builder.RegisterService(tts_.get());
  builder.RegisterService(kserve_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || bound == 0) {
    throw InputError("--host/--port: could not listen on " + listen + " (address in use or not local?)");
  }
  if (relay) {
    relay_ = std::make_unique<TcpRelay>(options_.host, options_.port, bound);
    context_->dropper = relay_.get();
    port_ = relay_->port();
  } else {
    port_ = bound;
  }
  address_ = host_port(options_.host, port_);
  lm_ = std::make_unique<NgramLm>();
  llm_ = std::make_unique<LlmEngine>(*lm_, static_cast<std::size_t>(options_.profile.max_batch));
  http_ = std::make_unique<HttpListener>();
  openai_ = std::make_unique<OpenAiService>(*llm_, http_->server(),
                                            std::vector<std::string>{TranscriptionHttp::models().front(),
                                                                     SpeechHttp::models().front()},
                                            context_->faults.first_response_delay);
  transcription_ = std::make_unique<TranscriptionHttp>(*context_, *workers_, options_.asr_model, http_->server());
  speech_ = std::make_unique<SpeechHttp>(*context_, *espeak_, http_->server());
  http_->start(options_.host, options_.http_port);
  auto* health = server_->GetHealthCheckService();
  for (const char* service : kServices) health->SetServingStatus(service, true);
}

RefServer::~RefServer() { shutdown(std::chrono::seconds(1)); }

int RefServer::http_port() const { return http_->port(); }
std::string RefServer::http_address() const { return host_port(options_.host, http_->port()); }

void RefServer::shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  if (relay_) relay_->stop_accepting();
  // Requests in the engines (or queued for them) get up to `grace` to finish. gRPC's own Shutdown deadline
  // would also wait that long for idle client connections, so the waiting is done here and gRPC is told to
  // stop at once, cancelling whatever is still running (stalled streams, say).
  const auto give_up = std::chrono::steady_clock::now() + grace;
  auto busy = [this] {
    const auto asr = asr_->admission().stats();
    const auto tts = tts_->admission().stats();
    const auto kserve = acoustic_->admission().stats();
    const auto transcription = transcription_->admission().stats();
    const auto speech = speech_->admission().stats();
    return asr.active + asr.queued + tts.active + tts.queued + kserve.active + kserve.queued + transcription.active +
               transcription.queued + speech.active + speech.queued > 0;
  };
  while (busy() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  // The engine first: its streams end ("abort", cut), so the HTTP threads that stream them can finish.
  llm_activity_ = llm_->activity();
  llm_.reset();
  http_->stop();
  // Calls have ended; engine work still queued only drops its last references now.
  relay_.reset();
  espeak_.reset();
  workers_.reset();
  own_timers_.reset();
}

std::string RefServer::describe() const {
  std::ostringstream out;
  out << "listening on " << address_ << " profile=" << options_.profile.name
      << " max_batch=" << options_.profile.max_batch << " workers=" << options_.workers
      << " asr=pocketsphinx(en-US, 16000 Hz) tts=espeak-ng(en-US, " << espeak_->sample_rate() << " Hz)"
      << " kserve=streaming_acoustic(pocketsphinx, 16000 Hz)"
      << " http=" << http_address() << " llm=" << OpenAiService::kModel << "(" << lm_->vocabulary() << " words)"
      << " http_asr=" << TranscriptionHttp::models().front() << " http_tts=" << SpeechHttp::models().front()
      << "(openai " << SpeechHttp::kOpenAiRate << " Hz, cosyvoice " << espeak_->sample_rate() << " Hz)"
      << " max_message_bytes=" << options_.max_message_bytes << " faults=" << options_.faults.describe();
  return out.str();
}

std::string RefServer::activity() const {
  const auto asr = asr_->admission().stats();
  const auto tts = tts_->admission().stats();
  std::ostringstream out;
  out << "asr requests=" << asr.admitted << " peak_in_engine=" << asr.peak_active << " peak_queued=" << asr.peak_queued
      << " decoders=" << asr_->decoders() << "; tts requests=" << tts.admitted << " peak_in_engine=" << tts.peak_active
      << " peak_queued=" << tts.peak_queued;
  const auto kserve = acoustic_->admission().stats();
  out << "; kserve requests=" << kserve.admitted << " peak_in_engine=" << kserve.peak_active
      << " peak_queued=" << kserve.peak_queued << " decoders=" << acoustic_->decoders()
      << " live_sequences=" << acoustic_->live_sequences();
  const auto transcription = transcription_->admission().stats();
  const auto speech = speech_->admission().stats();
  out << "; http transcriptions=" << transcription.admitted << " peak_in_engine=" << transcription.peak_active
      << " peak_queued=" << transcription.peak_queued << " decoders=" << transcription_->decoders()
      << "; http speech=" << speech.admitted << " peak_in_engine=" << speech.peak_active
      << " peak_queued=" << speech.peak_queued;
  {
    const auto llm = llm_ ? llm_->activity() : llm_activity_;
    out << "; llm generations=" << llm.generations << " tokens=" << llm.tokens << " steps=" << llm.steps
        << " peak_batch=" << llm.peak_batch;
  }
  const auto faults = asr_->faults().failed + tts_->faults().failed + asr_->faults().stalled +
                      tts_->faults().stalled + asr_->faults().dropped + tts_->faults().dropped;
  if (faults > 0) out << "; injected faults=" << faults;
  return out.str();
}

}  // namespace voxperf::refserver
