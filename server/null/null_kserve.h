// KServe v2 / Triton gRPC with no model behind it (voxperf-nullserver): one model, `null-acoustic`, shaped
// like the reference server's streaming acoustic model (input AUDIO, FP32, [batch, samples]; output
// TRANSCRIPT, BYTES, [batch, 1]). Every request, unary or on a ModelStreamInfer stream, is answered after the
// script's first delay with the transcript "null"; sequence parameters are taken as sent and not checked.
// ModelStatistics counts what was answered (success: arrival to answer; compute_infer: the scripted delay),
// so voxperf's server breakdown has figures to difference. A request for another model is refused with
// Triton's text: in the stream's error_message (the stream goes on), or as NOT_FOUND.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "server/kserve_base.h"
#include "server/null/null_script.h"

namespace voxperf::nullserver {

class NullKServeService final : public refserver::KServeBase {
 public:
  static constexpr const char* kModelName = "null-acoustic";
  static constexpr const char* kInput = "AUDIO";
  static constexpr const char* kOutput = "TRANSCRIPT";
  static constexpr const char* kTranscript = "null";

  explicit NullKServeService(NullScript& script) : KServeBase(kModelName), script_(script) {}

  grpc::ServerUnaryReactor* ModelMetadata(grpc::CallbackServerContext* call,
                                          const inference::ModelMetadataRequest* request,
                                          inference::ModelMetadataResponse* response) override;
  grpc::ServerUnaryReactor* ModelConfig(grpc::CallbackServerContext* call, const inference::ModelConfigRequest* request,
                                        inference::ModelConfigResponse* response) override;
  grpc::ServerUnaryReactor* ModelStatistics(grpc::CallbackServerContext* call,
                                            const inference::ModelStatisticsRequest* request,
                                            inference::ModelStatisticsResponse* response) override;
  grpc::ServerUnaryReactor* ModelInfer(grpc::CallbackServerContext* call, const inference::ModelInferRequest* request,
                                       inference::ModelInferResponse* response) override;
  grpc::ServerBidiReactor<inference::ModelInferRequest, inference::ModelStreamInferResponse>* ModelStreamInfer(
      grpc::CallbackServerContext* call) override;

 private:
  class Stream;
  // Fills `response` to request `id`, answered now, `waited` after it arrived, of which `scripted` was the
  // script's delay; counts it in the statistics.
  void answer(const std::string& id, Nanos waited, Nanos scripted, inference::ModelInferResponse& response);

  NullScript& script_;
  std::atomic<std::uint64_t> answered_{0};
  std::atomic<std::uint64_t> answered_ns_{0};
  std::atomic<std::uint64_t> scripted_ns_{0};
  std::atomic<std::uint64_t> last_answer_ms_{0};  // Unix time, as Triton's last_inference
};

}  // namespace voxperf::nullserver
