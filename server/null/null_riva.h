// Riva ASR and TTS with no engine behind them (voxperf-nullserver): every call is answered after the script's
// delays with a fixed transcript or silent audio of a plausible length, so that the wire protocol, the message
// sizes and the timing are real and the server's CPU cost is gRPC's alone.
//
//   Recognize            one final result, after the first delay
//   StreamingRecognize   an interim result per audio chunk when asked for (at once), the final after the
//                        client's half-close plus the first delay; served on the async API, on the
//                        server's own completion queues (serve_streams), so that 10,000 streams do not
//                        share the one queue of the callback API (harness/grpc/completion_queues.h)
//   Synthesize           the whole audio after the first delay
//   SynthesizeOnline     the audio in tts_chunk pieces: the first after the first delay, each later one after
//                        the later delay
#pragma once

#include <condition_variable>
#include <mutex>

#include "riva/proto/riva_asr.grpc.pb.h"
#include "riva/proto/riva_tts.grpc.pb.h"
#include "server/null/null_script.h"

namespace voxperf::nullserver {

namespace riva_asr = nvidia::riva::asr;

// The null ASR answers, shared by NullAsrService and the nghttp2 listener (nghttp2_asr_server.h): a result of
// the fixed transcript for `seconds` of audio processed; and the model list, filtered by `model_name`.
nvidia::riva::asr::StreamingRecognizeResponse null_stream_result(bool final, double seconds);
nvidia::riva::asr::RecognizeResponse null_recognize_response(double seconds);
nvidia::riva::asr::RivaSpeechRecognitionConfigResponse null_asr_config(const NullScript& script,
                                                                       const std::string& model_name);
// Seconds of int16 PCM in `bytes` (a rate of 0 is the default 16 kHz).
double pcm_seconds(std::size_t bytes, int sample_rate, int channels);

// Unary methods on the callback API, StreamingRecognize on the async API.
using MixedAsrService = riva_asr::RivaSpeechRecognition::WithCallbackMethod_Recognize<
    riva_asr::RivaSpeechRecognition::WithCallbackMethod_GetRivaSpeechRecognitionConfig<
        riva_asr::RivaSpeechRecognition::WithAsyncMethod_StreamingRecognize<riva_asr::RivaSpeechRecognition::Service>>>;

class NullAsrService final : public MixedAsrService {
 public:
  static constexpr const char* kModelName = "null-asr";
  static constexpr const char* kTranscript = "null";

  explicit NullAsrService(NullScript& script) : script_(script) {}

  // Starts taking StreamingRecognize calls on `queue`, which a thread drains (CompletionQueues). Call once per
  // queue, after the server is built.
  void serve_streams(grpc::ServerCompletionQueue* queue);
  // After the server's Shutdown: returns once every stream has ended (each after its scripted final), so
  // that the queues can be shut down with nothing outstanding on them.
  void wait_streams_ended();

  grpc::ServerUnaryReactor* Recognize(grpc::CallbackServerContext* call, const riva_asr::RecognizeRequest* request,
                                      riva_asr::RecognizeResponse* response) override;
  grpc::ServerUnaryReactor* GetRivaSpeechRecognitionConfig(
      grpc::CallbackServerContext* call, const riva_asr::RivaSpeechRecognitionConfigRequest* request,
      riva_asr::RivaSpeechRecognitionConfigResponse* response) override;

 private:
  class Stream;
  NullScript& script_;
  std::mutex streams_mutex_;
  std::condition_variable streams_ended_;
  std::size_t streams_ = 0;  // Stream objects alive, each waiting for a call or serving one
};

class NullTtsService final : public nvidia::riva::tts::RivaSpeechSynthesis::CallbackService {
 public:
  static constexpr const char* kModelName = "null-tts";

  explicit NullTtsService(NullScript& script) : script_(script) {}

  grpc::ServerUnaryReactor* Synthesize(grpc::CallbackServerContext* call,
                                       const nvidia::riva::tts::SynthesizeSpeechRequest* request,
                                       nvidia::riva::tts::SynthesizeSpeechResponse* response) override;
  grpc::ServerBidiReactor<nvidia::riva::tts::SynthesizeSpeechRequest, nvidia::riva::tts::SynthesizeSpeechResponse>*
  SynthesizeOnline(grpc::CallbackServerContext* call) override;
  grpc::ServerUnaryReactor* GetRivaSynthesisConfig(grpc::CallbackServerContext* call,
                                                   const nvidia::riva::tts::RivaSynthesisConfigRequest* request,
                                                   nvidia::riva::tts::RivaSynthesisConfigResponse* response) override;

 private:
  class Stream;
  NullScript& script_;
};

}  // namespace voxperf::nullserver
