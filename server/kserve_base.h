// What every KServe v2 service of ours (the reference server's, the null server's) answers alike: a server
// that answers at all is live and ready, a model is ready when the service serves it, and a model it does
// not serve gets Triton's text.
#pragma once

#include <string>
#include <utility>

#include "kserve/grpc_service.grpc.pb.h"

namespace voxperf::refserver {

class KServeBase : public inference::GRPCInferenceService::CallbackService {
 public:
  // The service's one model, served as version "1".
  explicit KServeBase(std::string model) : model_(std::move(model)) {}

  grpc::ServerUnaryReactor* ServerLive(grpc::CallbackServerContext* call, const inference::ServerLiveRequest* request,
                                       inference::ServerLiveResponse* response) override;
  grpc::ServerUnaryReactor* ServerReady(grpc::CallbackServerContext* call, const inference::ServerReadyRequest* request,
                                        inference::ServerReadyResponse* response) override;
  grpc::ServerUnaryReactor* ModelReady(grpc::CallbackServerContext* call, const inference::ModelReadyRequest* request,
                                       inference::ModelReadyResponse* response) override;

 protected:
  // Whether this service serves model `name` at `version` (empty: the server's choice).
  bool serves(const std::string& name, const std::string& version) const {
    return name == model_ && (version.empty() || version == "1");
  }

  // A unary call answered at once.
  static grpc::ServerUnaryReactor* answer_now(grpc::CallbackServerContext* call,
                                              grpc::Status status = grpc::Status::OK);
  // Triton's text for a model it does not serve, and the status it answers a unary call with.
  static std::string unknown_model_text(const std::string& name);
  static grpc::Status unknown_model(const std::string& name);

 private:
  std::string model_;
};

}  // namespace voxperf::refserver
