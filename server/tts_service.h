// Riva TTS over gRPC, backed by espeak-ng: Synthesize, SynthesizeOnline (one request per stream, then the
// client's half-close, as Riva servers before 2.25 accept; audio chunks are sent as the engine produces
// them) and GetRivaSynthesisConfig. Audio is LINEAR_PCM, mono int16 at the requested rate, no WAV header.
#pragma once

#include "riva/proto/riva_tts.grpc.pb.h"
#include "server/admission.h"
#include "server/espeak_engine.h"
#include "server/service_context.h"

namespace voxperf::refserver {

class TtsService final : public nvidia::riva::tts::RivaSpeechSynthesis::CallbackService {
 public:
  TtsService(const ServiceContext& context, EspeakEngine& engine);

  grpc::ServerUnaryReactor* Synthesize(grpc::CallbackServerContext* call,
                                       const nvidia::riva::tts::SynthesizeSpeechRequest* request,
                                       nvidia::riva::tts::SynthesizeSpeechResponse* response) override;
  grpc::ServerBidiReactor<nvidia::riva::tts::SynthesizeSpeechRequest, nvidia::riva::tts::SynthesizeSpeechResponse>*
  SynthesizeOnline(grpc::CallbackServerContext* call) override;
  grpc::ServerUnaryReactor* GetRivaSynthesisConfig(grpc::CallbackServerContext* call,
                                                   const nvidia::riva::tts::RivaSynthesisConfigRequest* request,
                                                   nvidia::riva::tts::RivaSynthesisConfigResponse* response) override;

  static constexpr const char* kModelName = "espeak-ng-English-US";
  const Admission& admission() const { return admission_; }
  const FaultPicks& faults() const { return picks_; }

 private:
  class Stream;
  grpc::Status check(const nvidia::riva::tts::SynthesizeSpeechRequest& request, const Voice*& voice) const;

  const ServiceContext& context_;
  EspeakEngine& engine_;
  Admission admission_;
  FaultPicks picks_;
};

}  // namespace voxperf::refserver
