#include "server/kserve_base.h"

namespace voxperf::refserver {

grpc::ServerUnaryReactor* KServeBase::answer_now(grpc::CallbackServerContext* call, grpc::Status status) {
  auto* reactor = call->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

std::string KServeBase::unknown_model_text(const std::string& name) {
  return "Request for unknown model: '" + name + "' is not found";
}

grpc::Status KServeBase::unknown_model(const std::string& name) {
  return {grpc::StatusCode::NOT_FOUND, unknown_model_text(name)};
}

grpc::ServerUnaryReactor* KServeBase::ServerLive(grpc::CallbackServerContext* call, const inference::ServerLiveRequest*,
                                                 inference::ServerLiveResponse* response) {
  response->set_live(true);
  return answer_now(call);
}

grpc::ServerUnaryReactor* KServeBase::ServerReady(grpc::CallbackServerContext* call,
                                                  const inference::ServerReadyRequest*,
                                                  inference::ServerReadyResponse* response) {
  response->set_ready(true);
  return answer_now(call);
}

grpc::ServerUnaryReactor* KServeBase::ModelReady(grpc::CallbackServerContext* call,
                                                 const inference::ModelReadyRequest* request,
                                                 inference::ModelReadyResponse* response) {
  response->set_ready(serves(request->name(), request->version()));
  return answer_now(call);
}

}  // namespace voxperf::refserver
