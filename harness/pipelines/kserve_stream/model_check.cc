#include "harness/pipelines/kserve_stream/model_check.h"

#include <nlohmann/json.hpp>

#include "harness/pipelines/kserve_stream/infer_request.h"

namespace voxperf {
namespace {

using Tensor = inference::ModelMetadataResponse::TensorMetadata;

std::string shape_text(const std::vector<std::int64_t>& shape) { return nlohmann::json(shape).dump(); }

std::string check_tensor(const std::string& field, const TensorSpec& spec, const std::vector<std::int64_t>& sent,
                         const google::protobuf::RepeatedPtrField<Tensor>& tensors, const std::string& model) {
  const Tensor* found = nullptr;
  std::string names;
  for (const auto& tensor : tensors) {
    names += (names.empty() ? "" : ", ") + tensor.name();
    if (tensor.name() == spec.name) found = &tensor;
  }
  if (found == nullptr) {
    return field + ".name: model '" + model + "' has no " + field + " '" + spec.name + "' (it has: " +
           (names.empty() ? "none" : names) + ")";
  }
  if (found->datatype() != spec.datatype) {
    return field + ".datatype: " + spec.datatype + " here, but model '" + model + "' " +
           (field == "input" ? "takes " : "gives ") + found->datatype() + " (ModelMetadata)";
  }
  if (sent.empty()) return "";
  const std::vector<std::int64_t> model_shape(found->shape().begin(), found->shape().end());
  bool fits = model_shape.size() == sent.size();
  for (std::size_t i = 0; fits && i < sent.size(); ++i) fits = model_shape[i] == -1 || model_shape[i] == sent[i];
  if (!fits) {
    return field + ".shape: " + shape_text(spec.shape) + " here (" + shape_text(sent) + " sent) does not fit " +
           shape_text(model_shape) + " of model '" + model + "' (ModelMetadata; with a batching model the first "
           "dimension is the batch)";
  }
  return "";
}

}  // namespace

std::string check_model(const KServeStreamSettings& settings, const inference::ModelMetadataResponse& metadata) {
  const std::string& model = settings.model_name;
  if (auto problem = check_tensor("input", settings.input, request_shape(settings.input, settings.chunk_samples()),
                                  metadata.inputs(), model);
      !problem.empty()) {
    return problem;
  }
  if (settings.output.name.empty()) return "";
  // Output shapes depend on the model's answer; only the name and type are promised up front.
  return check_tensor("output", settings.output, {}, metadata.outputs(), model);
}

}  // namespace voxperf
