// KServe v2 / Triton gRPC (GRPCInferenceService) for the reference server's one model, `streaming_acoustic`
// (acoustic_model.h): health, metadata, config, statistics, unary ModelInfer and the bidirectional
// ModelStreamInfer, where a refused request is answered in error_message and the stream stays open.
#pragma once

#include "server/acoustic_model.h"
#include "server/kserve_base.h"

namespace voxperf::refserver {

class KServeService final : public KServeBase {
 public:
  KServeService(const ServiceContext& context, AcousticModel& model)
      : KServeBase(AcousticModel::kName), context_(context), model_(model) {}

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
  const ServiceContext& context_;
  AcousticModel& model_;
};

}  // namespace voxperf::refserver
