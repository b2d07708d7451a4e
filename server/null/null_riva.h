// Riva ASR and TTS with no engine behind them (voxperf-nullserver): every call is answered after the script's
// delays with a fixed transcript or silent audio of a plausible length, so that the wire protocol, the message
// sizes and the timing are real and the server's CPU cost is gRPC's alone.
//
//   Recognize            one final result, after the first delay
//   StreamingRecognize   an interim result per audio chunk when asked for (at once), the final after the
//                        client's half-close plus the first delay
//   Synthesize           the whole audio after the first delay
//   SynthesizeOnline     the audio in tts_chunk pieces: the first after the first delay, each later one after
//                        the later delay
#pragma once

#include "riva/proto/riva_asr.grpc.pb.h"
#include "riva/proto/riva_tts.grpc.pb.h"
#include "server/null/null_script.h"

namespace voxperf::nullserver {

class NullAsrService final : public nvidia::riva::asr::RivaSpeechRecognition::CallbackService {
 public:
  static constexpr const char* kModelName = "null-asr";
  static constexpr const char* kTranscript = "null";

  explicit NullAsrService(NullScript& script) : script_(script) {}

  grpc::ServerUnaryReactor* Recognize(grpc::CallbackServerContext* call,
                                      const nvidia::riva::asr::RecognizeRequest* request,
                                      nvidia::riva::asr::RecognizeResponse* response) override;
  grpc::ServerBidiReactor<nvidia::riva::asr::StreamingRecognizeRequest,
                          nvidia::riva::asr::StreamingRecognizeResponse>*
  StreamingRecognize(grpc::CallbackServerContext* call) override;
  grpc::ServerUnaryReactor* GetRivaSpeechRecognitionConfig(
      grpc::CallbackServerContext* call, const nvidia::riva::asr::RivaSpeechRecognitionConfigRequest* request,
      nvidia::riva::asr::RivaSpeechRecognitionConfigResponse* response) override;

 private:
  class Stream;
  NullScript& script_;
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
