// voxperf-refserver as a library: the Riva ASR and TTS services, KServe v2 (Triton) with its model
// streaming_acoustic, the gRPC health service, the engines and the worker pool, listening on one port; and the
// HTTP APIs on a second port: OpenAI-compatible LLM serving (openai_service.h) over the n-gram LM, Whisper-style
// transcription (transcription_http.h) and streaming speech in OpenAI's and CosyVoice's dialects (speech_http.h). The binary (main.cc) and the tests both start it this way.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "harness/timer_queue.h"
#include "server/fault_plan.h"
#include "server/llm_engine.h"
#include "server/profile.h"
#include "server/sphinx_decoder.h"

namespace voxperf::refserver {

class AcousticModel;
class AsrService;
class KServeService;
class LlmEngine;
class NgramLm;
class OpenAiService;
class HttpListener;
class TranscriptionHttp;
class SpeechHttp;
class TtsService;
class EspeakEngine;
class WorkerPool;
class TcpRelay;
struct ServiceContext;

struct RefServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: the kernel picks a free one
  int http_port = 0;  // the HTTP APIs'; 0: the kernel picks a free one
  Profile profile = parse_profile("default");
  FaultPlan faults;
  std::size_t workers = 0;                     // 0: one per core
  std::size_t max_message_bytes = 64u << 20;   // both directions
  TimerQueue* timers = nullptr;                // null: the server's own timer thread
  const Clock* clock = nullptr;                // null: the system clock; tests move a clock of their own
  SphinxModel asr_model;
  // KServe model streaming_acoustic: a sequence with nothing in flight this long is released.
  std::chrono::microseconds kserve_sequence_idle{5'000'000};
  std::function<void(std::size_t segment)> tts_segment_hook;  // tests only: see EspeakEngine::SegmentHook
};

class RefServer {
 public:
  // Loads the engines and starts listening. Throws InputError when the address can not be bound or a model
  // file is missing, std::runtime_error when an engine fails to load.
  explicit RefServer(RefServerOptions options);
  ~RefServer();  // shutdown(1 s) if not done yet
  RefServer(const RefServer&) = delete;
  RefServer& operator=(const RefServer&) = delete;

  // Says NOT_SERVING, gives requests in the engines up to `grace` to finish, then stops gRPC, cancelling
  // what is still running. Returns when every call has ended.
  void shutdown(std::chrono::milliseconds grace);

  const std::string& address() const { return address_; }  // "127.0.0.1:PORT", what clients dial
  int port() const { return port_; }
  int http_port() const;                                      // the OpenAI HTTP API
  std::string http_address() const;                           // "127.0.0.1:HTTP_PORT"
  const RefServerOptions& options() const { return options_; }
  std::string describe() const;  // the settings, for the start log line
  std::string activity() const;  // what was served, for the stop log line

  AsrService& asr() { return *asr_; }
  TtsService& tts() { return *tts_; }
  AcousticModel& acoustic_model() { return *acoustic_; }

 private:
  RefServerOptions options_;
  std::unique_ptr<TimerQueue> own_timers_;
  std::unique_ptr<ServiceContext> context_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<EspeakEngine> espeak_;
  std::unique_ptr<AsrService> asr_;
  std::unique_ptr<TtsService> tts_;
  std::unique_ptr<AcousticModel> acoustic_;
  std::unique_ptr<KServeService> kserve_;
  std::unique_ptr<NgramLm> lm_;
  std::unique_ptr<LlmEngine> llm_;
  std::unique_ptr<HttpListener> http_;
  std::unique_ptr<OpenAiService> openai_;
  std::unique_ptr<TranscriptionHttp> transcription_;
  std::unique_ptr<SpeechHttp> speech_;
  LlmEngineActivity llm_activity_;  // kept when the engine stops, for activity()
  std::unique_ptr<TcpRelay> relay_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace voxperf::refserver
