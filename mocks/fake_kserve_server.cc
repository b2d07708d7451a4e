#include "mocks/fake_kserve_server.h"

#include <algorithm>

#include "harness/pipelines/kserve_stream/tensor_codec.h"

namespace voxperf::mocks {

std::size_t SequenceLedger::open_stream() {
  std::lock_guard lock(mutex_);
  return streams_++;
}

std::string SequenceLedger::record(const inference::ModelInferRequest& request, std::size_t stream) {
  std::lock_guard lock(mutex_);
  const auto& p = request.parameters();
  auto has = [&](const char* key, inference::InferParameter::ParameterChoiceCase type) {
    auto it = p.find(key);
    return it != p.end() && it->second.parameter_choice_case() == type;
  };
  SeenRequest seen;
  seen.id = request.id();
  seen.stream = stream;
  seen.all_flags_sent = has("sequence_id", inference::InferParameter::kInt64Param) &&
                        has("sequence_start", inference::InferParameter::kBoolParam) &&
                        has("sequence_end", inference::InferParameter::kBoolParam) &&
                        has("triton_enable_empty_final_response", inference::InferParameter::kBoolParam);
  if (p.count("sequence_id")) seen.sequence_id = p.at("sequence_id").int64_param();
  if (p.count("sequence_start")) seen.start = p.at("sequence_start").bool_param();
  if (p.count("sequence_end")) seen.end = p.at("sequence_end").bool_param();
  requests_.push_back(seen);

  std::string broken;
  const bool is_live = live_.count(seen.sequence_id) > 0;
  if (seen.start && is_live) broken = "START on live sequence " + std::to_string(seen.sequence_id);
  if (!seen.start && !is_live) {
    broken = "sequence " + std::to_string(seen.sequence_id) + " was never started (or already ended)";
  }
  if (seen.start && ended_ids_.count(seen.sequence_id)) broken = "id " + std::to_string(seen.sequence_id) + " reused";
  if (!broken.empty()) {
    violations_.push_back(broken);
    return broken;
  }
  ++live_[seen.sequence_id];
  max_live_ = std::max(max_live_, live_.size());
  if (seen.end) {
    ended_.push_back(live_[seen.sequence_id]);
    ended_ids_.insert(seen.sequence_id);
    live_.erase(seen.sequence_id);
  }
  return "";
}

std::vector<SeenRequest> SequenceLedger::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::set<std::int64_t> SequenceLedger::live() const {
  std::lock_guard lock(mutex_);
  std::set<std::int64_t> out;
  for (const auto& [id, n] : live_) out.insert(id);
  return out;
}

std::vector<std::size_t> SequenceLedger::ended_lengths() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

std::size_t SequenceLedger::max_live() const {
  std::lock_guard lock(mutex_);
  return max_live_;
}

std::vector<std::string> SequenceLedger::violations() const {
  std::lock_guard lock(mutex_);
  return violations_;
}

std::size_t SequenceLedger::streams() const {
  std::lock_guard lock(mutex_);
  return streams_;
}

std::map<std::size_t, std::set<std::int64_t>> SequenceLedger::sequences_by_stream() const {
  std::lock_guard lock(mutex_);
  std::map<std::size_t, std::set<std::int64_t>> out;
  for (const auto& r : requests_) out[r.stream].insert(r.sequence_id);
  return out;
}

std::function<grpc::Status(grpc::ServerContext*, KServeStream*)> answer_sequences(
    SequenceLedger& ledger, std::set<std::size_t> fail_positions, std::string fail_message) {
  return [&ledger, fail_positions, fail_message](grpc::ServerContext*, KServeStream* stream) {
    const std::size_t number = ledger.open_stream();
    inference::ModelInferRequest request;
    for (std::size_t position = 0; stream->Read(&request); ++position) {
      const std::string broken = ledger.record(request, number);
      inference::ModelStreamInferResponse response;
      response.mutable_infer_response()->set_id(request.id());
      if (!broken.empty() || fail_positions.count(position)) {
        response.set_error_message(broken.empty() ? fail_message : broken);
      } else {
        auto& infer = *response.mutable_infer_response();
        infer.set_model_name(request.model_name());
        auto* output = infer.add_outputs();
        output->set_name("TRANSCRIPT");
        output->set_datatype("BYTES");
        output->add_shape(1);
        output->add_shape(1);
        const auto& seq = request.parameters().at("sequence_id");
        infer.add_raw_output_contents(
            encode_bytes_elements({"seq " + std::to_string(seq.int64_param()) + " #" + std::to_string(position)}));
      }
      if (!stream->Write(response)) break;
    }
    return grpc::Status::OK;
  };
}

}  // namespace voxperf::mocks
