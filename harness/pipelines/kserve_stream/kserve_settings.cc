#include "harness/pipelines/kserve_stream/kserve_settings.h"

#include <algorithm>

#include "harness/pipelines/kserve_stream/tensor_codec.h"
#include "harness/targets/fields.h"

namespace voxperf {
namespace {

TensorSpec read_tensor(Fields& fields, const std::string& key, TensorSpec spec, bool input) {
  const nlohmann::json* value = fields.find(key);
  if (value == nullptr) return spec;
  Fields tensor(*value, fields.path() + "." + key, fields.file());
  if (!value->is_object()) tensor.fail("", "must be an object {\"name\", \"datatype\", \"shape\"}");
  if (auto name = tensor.string("name")) spec.name = *name;
  if (auto datatype = tensor.string("datatype")) spec.datatype = *datatype;
  if (tensor.has("shape")) {
    spec.shape.clear();
    for (long long d : tensor.integer_list("shape", -1, 1'000'000'000)) spec.shape.push_back(d);
  }
  if (input) {
    if (!audio_datatype_supported(spec.datatype)) {
      tensor.fail("datatype", "'" + spec.datatype + "' can not carry audio here (FP32 or INT16)");
    }
    if (std::count(spec.shape.begin(), spec.shape.end(), -1) > 1) {
      tensor.fail("shape", "at most one -1 (the chunk's samples)");
    }
  } else if (spec.datatype != "BYTES") {
    tensor.fail("datatype", "'" + spec.datatype + "': the transcript output is read as BYTES");
  }
  tensor.reject_unknown();
  return spec;
}

}  // namespace

void KServeStreamSettings::describe(nlohmann::json& target) const {
  target["model_name"] = model_name;
  target["model_version"] = model_version;
  target["data"] = data.string();
  target["input"] = {{"name", input.name}, {"datatype", input.datatype}, {"shape", input.shape}};
  target["output"] = {{"name", output.name}, {"datatype", output.datatype}, {"shape", output.shape}};
  target["chunk_ms"] = chunk.count();
  target["sample_rate_hz"] = sample_rate_hz;
  target["sequence_length"] = sequence_length;
  target["sequence_length_variation"] = sequence_length_variation;
  target["sequence_id_start"] = sequence_id_start;
  target["num_sequences"] = num_sequences;
}

std::vector<std::string> kserve_stream_fields() {
  return {"model_name", "model_version", "data", "input", "output", "chunk_ms", "sample_rate_hz",
          "sequence_length", "sequence_length_variation", "sequence_id_start", "num_sequences"};
}

std::shared_ptr<KServeStreamSettings> parse_kserve_stream(Fields& fields, const std::string& model,
                                                          const std::filesystem::path& base) {
  auto s = std::make_shared<KServeStreamSettings>();
  s->model_name = fields.string("model_name").value_or(model);
  if (auto version = fields.string("model_version")) s->model_version = *version;
  s->data = fields.existing_file("data", *fields.string("data", true), base);
  s->input = read_tensor(fields, "input", s->input, true);
  s->output = read_tensor(fields, "output", s->output, false);
  if (auto chunk = fields.integer("chunk_ms", 10, 60'000)) s->chunk = std::chrono::milliseconds(*chunk);
  if (auto rate = fields.integer("sample_rate_hz", 8000, 192'000)) s->sample_rate_hz = static_cast<int>(*rate);
  if (auto n = fields.integer("sequence_length", 1, 1'000'000)) s->sequence_length = static_cast<std::size_t>(*n);
  if (auto p = fields.number("sequence_length_variation", 0.0, 100.0)) s->sequence_length_variation = *p;
  if (auto id = fields.integer("sequence_id_start", 1, 1LL << 62)) s->sequence_id_start = *id;
  if (auto n = fields.integer("num_sequences", 1, 100'000)) s->num_sequences = static_cast<std::size_t>(*n);
  return s;
}

}  // namespace voxperf
