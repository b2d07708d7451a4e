// Riva ASR over gRPC, backed by pocketsphinx: Recognize, bidirectional StreamingRecognize (audio decoded as
// it arrives, interim results on request, the final after the client's half-close) and
// GetRivaSpeechRecognitionConfig. Decoding runs on the worker pool, at most max_batch requests at once.
#pragma once

#include "riva/proto/riva_asr.grpc.pb.h"
#include "server/admission.h"
#include "server/service_context.h"
#include "server/sphinx_decoder.h"
#include "server/worker_pool.h"

namespace voxperf::refserver {

class AsrService final : public nvidia::riva::asr::RivaSpeechRecognition::CallbackService {
 public:
  AsrService(const ServiceContext& context, WorkerPool& workers, SphinxModel model);

  grpc::ServerUnaryReactor* Recognize(grpc::CallbackServerContext* call,
                                      const nvidia::riva::asr::RecognizeRequest* request,
                                      nvidia::riva::asr::RecognizeResponse* response) override;
  grpc::ServerBidiReactor<nvidia::riva::asr::StreamingRecognizeRequest,
                          nvidia::riva::asr::StreamingRecognizeResponse>*
  StreamingRecognize(grpc::CallbackServerContext* call) override;
  grpc::ServerUnaryReactor* GetRivaSpeechRecognitionConfig(
      grpc::CallbackServerContext* call, const nvidia::riva::asr::RivaSpeechRecognitionConfigRequest* request,
      nvidia::riva::asr::RivaSpeechRecognitionConfigResponse* response) override;

  const Admission& admission() const { return admission_; }
  const FaultPicks& faults() const { return picks_; }
  std::size_t decoders() const { return decoders_.created(); }

 private:
  class Stream;
  void recognize(grpc::CallbackServerContext* call, const nvidia::riva::asr::RecognizeRequest* request,
                 nvidia::riva::asr::RecognizeResponse* response, grpc::ServerUnaryReactor* reactor);

  const ServiceContext& context_;
  WorkerPool& workers_;
  DecoderPool decoders_;
  Admission admission_;
  FaultPicks picks_;
};

}  // namespace voxperf::refserver
