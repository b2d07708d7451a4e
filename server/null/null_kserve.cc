#include "server/null/null_kserve.h"

#include <mutex>

#include "harness/pipelines/kserve_stream/tensor_codec.h"
#include "server/null/queued_writes.h"

namespace voxperf::nullserver {

using inference::ModelInferRequest;
using inference::ModelInferResponse;
using inference::ModelStreamInferResponse;

namespace {

std::uint64_t ns(Nanos d) { return static_cast<std::uint64_t>(std::max<Nanos::rep>(0, d.count())); }

}  // namespace

void NullKServeService::answer(const std::string& id, Nanos waited, Nanos scripted, ModelInferResponse& response) {
  // The transcript's wire form is the same for every answer: encoded once.
  static const std::string transcript = encode_bytes_elements({kTranscript});
  response.set_id(id);
  response.set_model_name(kModelName);
  response.set_model_version("1");
  auto* output = response.add_outputs();
  output->set_name(kOutput);
  output->set_datatype("BYTES");
  output->add_shape(1);
  output->add_shape(1);
  response.add_raw_output_contents(transcript);
  answered_ns_ += ns(waited);
  scripted_ns_ += ns(scripted);
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  last_answer_ms_ = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
  ++answered_;  // last: a reader that sees the count sees its durations
}

// One ModelStreamInfer call: each request is answered after the first delay (several may wait at once), in the
// order their delays end; after the client's half-close the call ends once every answer is written.
class NullKServeService::Stream final : public QueuedWrites<ModelInferRequest, ModelStreamInferResponse> {
 public:
  explicit Stream(NullKServeService& service) : service_(service) {
    ++service_.script_.requests;
    StartSendInitialMetadata();  // at once, for the reason NullAsrService's stream gives
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      bool last;
      {
        std::lock_guard lock(mutex_);
        half_closed_ = true;
        last = waiting_ == 0;
      }
      if (last) finish_after_writes();  // outside the lock: finishing may delete this stream
      return;
    }
    ++service_.script_.messages;
    std::string id = request_.id();
    if (!service_.serves(request_.model_name(), request_.model_version())) {
      ModelStreamInferResponse response;
      response.set_error_message(unknown_model_text(request_.model_name()));
      response.mutable_infer_response()->set_id(std::move(id));  // so that the client knows which one failed
      send(std::move(response));
    } else {
      {
        std::lock_guard lock(mutex_);
        ++waiting_;
      }
      const TimePoint arrived = SteadyClock::now();
      const Nanos delay = service_.script_.first.next();
      service_.script_.after(delay, [this, id = std::move(id), arrived, delay] {
        ModelStreamInferResponse response;
        service_.answer(id, SteadyClock::now() - arrived, delay, *response.mutable_infer_response());
        send(std::move(response));
        bool last;
        {
          std::lock_guard lock(mutex_);
          last = --waiting_ == 0 && half_closed_;
        }
        if (last) finish_after_writes();
      });
    }
    StartRead(&request_);
  }

 private:
  NullKServeService& service_;
  ModelInferRequest request_;
  std::mutex mutex_;  // guards the two below, so that exactly one path calls finish_after_writes
  std::size_t waiting_ = 0;
  bool half_closed_ = false;
};

grpc::ServerBidiReactor<ModelInferRequest, ModelStreamInferResponse>* NullKServeService::ModelStreamInfer(
    grpc::CallbackServerContext*) {
  return new Stream(*this);
}

grpc::ServerUnaryReactor* NullKServeService::ModelInfer(grpc::CallbackServerContext* call,
                                                        const ModelInferRequest* request,
                                                        ModelInferResponse* response) {
  ++script_.requests;
  ++script_.messages;
  if (!serves(request->model_name(), request->model_version())) {
    return answer_now(call, unknown_model(request->model_name()));
  }
  auto* reactor = call->DefaultReactor();
  const TimePoint arrived = SteadyClock::now();
  const Nanos delay = script_.first.next();
  script_.after(delay, [this, reactor, request, response, arrived, delay] {
    answer(request->id(), SteadyClock::now() - arrived, delay, *response);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* NullKServeService::ModelMetadata(grpc::CallbackServerContext* call,
                                                           const inference::ModelMetadataRequest* request,
                                                           inference::ModelMetadataResponse* response) {
  if (!serves(request->name(), request->version())) {
    return answer_now(call, unknown_model(request->name()));
  }
  response->set_name(kModelName);
  response->add_versions(std::string("1"));  // from a string: GCC 12 warns falsely on assigning "1" here
  response->set_platform("null");
  auto* input = response->add_inputs();
  input->set_name(kInput);
  input->set_datatype("FP32");
  input->add_shape(-1);  // the batch
  input->add_shape(-1);  // samples
  auto* output = response->add_outputs();
  output->set_name(kOutput);
  output->set_datatype("BYTES");
  output->add_shape(-1);
  output->add_shape(1);
  return answer_now(call);
}

grpc::ServerUnaryReactor* NullKServeService::ModelConfig(grpc::CallbackServerContext* call,
                                                         const inference::ModelConfigRequest* request,
                                                         inference::ModelConfigResponse* response) {
  if (!serves(request->name(), request->version())) {
    return answer_now(call, unknown_model(request->name()));
  }
  auto& config = *response->mutable_config();
  config.set_name(kModelName);
  config.set_platform("null");
  config.set_backend("voxperf-nullserver");
  config.set_max_batch_size(1);
  auto* input = config.add_input();
  input->set_name(kInput);
  input->set_data_type(inference::TYPE_FP32);
  input->add_dims(-1);
  auto* output = config.add_output();
  output->set_name(kOutput);
  output->set_data_type(inference::TYPE_STRING);
  output->add_dims(1);
  return answer_now(call);
}

grpc::ServerUnaryReactor* NullKServeService::ModelStatistics(grpc::CallbackServerContext* call,
                                                             const inference::ModelStatisticsRequest* request,
                                                             inference::ModelStatisticsResponse* response) {
  if (!request->name().empty() && !serves(request->name(), request->version())) {
    return answer_now(call, unknown_model(request->name()));
  }
  const std::uint64_t count = answered_.load();
  auto& stats = *response->add_model_stats();
  stats.set_name(kModelName);
  stats.set_version("1");
  stats.set_last_inference(last_answer_ms_.load());
  stats.set_inference_count(count);
  stats.set_execution_count(count);
  auto& infer = *stats.mutable_inference_stats();
  infer.mutable_success()->set_count(count);
  infer.mutable_success()->set_ns(answered_ns_.load());
  infer.mutable_compute_infer()->set_count(count);
  infer.mutable_compute_infer()->set_ns(scripted_ns_.load());
  return answer_now(call);
}

}  // namespace voxperf::nullserver
