#include "server/kserve_service.h"

#include "server/server_stream.h"

namespace voxperf::refserver {

using inference::ModelInferRequest;
using inference::ModelStreamInferResponse;

grpc::ServerUnaryReactor* KServeService::ModelMetadata(grpc::CallbackServerContext* call,
                                                       const inference::ModelMetadataRequest* request,
                                                       inference::ModelMetadataResponse* response) {
  if (!serves(request->name(), request->version())) {
    return answer_now(call, unknown_model(request->name()));
  }
  model_.metadata(*response);
  return answer_now(call);
}

grpc::ServerUnaryReactor* KServeService::ModelConfig(grpc::CallbackServerContext* call,
                                                     const inference::ModelConfigRequest* request,
                                                     inference::ModelConfigResponse* response) {
  if (!serves(request->name(), request->version())) {
    return answer_now(call, unknown_model(request->name()));
  }
  model_.config(*response->mutable_config());
  return answer_now(call);
}

grpc::ServerUnaryReactor* KServeService::ModelStatistics(grpc::CallbackServerContext* call,
                                                         const inference::ModelStatisticsRequest* request,
                                                         inference::ModelStatisticsResponse* response) {
  if (!request->name().empty() && !serves(request->name(), request->version())) {
    return answer_now(call, unknown_model(request->name()));
  }
  model_.statistics(*response->add_model_stats());
  return answer_now(call);
}

grpc::ServerUnaryReactor* KServeService::ModelInfer(grpc::CallbackServerContext* call,
                                                    const inference::ModelInferRequest* request,
                                                    inference::ModelInferResponse* response) {
  auto* reactor = call->DefaultReactor();
  if (!serves(request->model_name(), request->model_version())) {
    reactor->Finish(unknown_model(request->model_name()));
    return reactor;
  }
  model_.infer(*request, [reactor, response](InferOutcome outcome) {
    if (outcome.code != grpc::StatusCode::OK) {
      reactor->Finish({outcome.code, outcome.error});
      return;
    }
    *response = std::move(outcome.response);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

// One ModelStreamInfer call: every request read is handed to the model at once (several may be in flight);
// answers are written in the order they come; after the client's half-close the call ends once all are out.
class KServeService::Stream final : public ServerStream<ModelInferRequest, ModelStreamInferResponse> {
 public:
  Stream(KServeService& service, grpc::CallbackServerContext* call)
      : ServerStream(service.context_, call), service_(service), model_(service.model_) {
    mark_admitted();
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      std::lock_guard lock(lock_);
      half_closed_ = true;
      if (pending_ == 0) finish(grpc::Status::OK);
      return;
    }
    ModelInferRequest request = std::move(request_);
    StartRead(&request_);
    {
      std::lock_guard lock(lock_);
      ++pending_;
    }
    ref();  // until answered
    const std::string id = request.id();
    if (!service_.serves(request.model_name(), request.model_version())) {
      answer(id, {grpc::StatusCode::NOT_FOUND, unknown_model_text(request.model_name()), {}});
      return;
    }
    model_.infer(request, [this, id](InferOutcome outcome) { answer(id, std::move(outcome)); });
  }

 private:
  void answer(const std::string& id, InferOutcome outcome) {
    ModelStreamInferResponse response;
    if (outcome.code != grpc::StatusCode::OK) {
      response.set_error_message(outcome.error);
      response.mutable_infer_response()->set_id(id);  // so that the client knows which request failed
    } else {
      *response.mutable_infer_response() = std::move(outcome.response);
    }
    send(std::move(response));
    {
      std::lock_guard lock(lock_);
      --pending_;
      if (half_closed_ && pending_ == 0) finish(grpc::Status::OK);
    }
    unref();
  }

  KServeService& service_;
  AcousticModel& model_;
  ModelInferRequest request_;
  std::mutex lock_;
  std::size_t pending_ = 0;
  bool half_closed_ = false;
};

grpc::ServerBidiReactor<ModelInferRequest, ModelStreamInferResponse>* KServeService::ModelStreamInfer(
    grpc::CallbackServerContext* call) {
  return new Stream(*this, call);
}

}  // namespace voxperf::refserver
