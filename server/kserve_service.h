// KServe v2 / Triton gRPC (GRPCInferenceService) for the reference server's one model, `streaming_acoustic`
// (acoustic_model.h): health, metadata, config, statistics, unary ModelInfer and the bidirectional
// ModelStreamInfer, where a refused request is answered in error_message and the stream stays open.
#pragma once

#include "kserve/grpc_service.grpc.pb.h"
#include "server/acoustic_model.h"

namespace voxperf::refserver {

class KServeService final : public inference::GRPCInferenceService::CallbackService {
 public:
  KServeService(const ServiceContext& context, AcousticModel& model) : context_(context), model_(model) {}

  grpc::ServerUnaryReactor* ServerLive(grpc::CallbackServerContext* call, const inference::ServerLiveRequest* request,
                                       inference::ServerLiveResponse* response) override;
  grpc::ServerUnaryReactor* ServerReady(grpc::CallbackServerContext* call, const inference::ServerReadyRequest* request,
                                        inference::ServerReadyResponse* response) override;
  grpc::ServerUnaryReactor* ModelReady(grpc::CallbackServerContext* call, const inference::ModelReadyRequest* request,
                                       inference::ModelReadyResponse* response) override;
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
