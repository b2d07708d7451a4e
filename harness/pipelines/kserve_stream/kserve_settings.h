// The targets-file fields of a kserve_stream target: which Triton model, the tensors its requests carry, and
// how sequences are shaped (perf_analyzer's --sequence-length, --sequence-length-variation,
// --sequence-id-range and --num-of-sequences).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/pipelines/pipeline.h"

namespace voxperf {

class Fields;

// An input or output tensor as the targets file names it; checked against the model before traffic.
struct TensorSpec {
  std::string name;
  std::string datatype;              // KServe datatype string: FP32, INT16, BYTES ...
  std::vector<std::int64_t> shape;   // with the batch dimension when the model batches; -1: the chunk's samples
};

struct KServeStreamSettings final : PipelineSettings {
  std::string model_name;      // Triton's name for the model; default the target's "model"
  std::string model_version;   // empty: the server's policy
  std::filesystem::path data;  // a manifest of utterances; their audio is cut into chunks
  TensorSpec input{"AUDIO", "FP32", {1, -1}};
  TensorSpec output{"TRANSCRIPT", "BYTES", {1, 1}};
  std::chrono::milliseconds chunk{300};  // audio per request
  int sample_rate_hz = 16000;            // what the model takes; the data must be at this rate
  std::size_t sequence_length = 20;      // requests per sequence, before the variation
  double sequence_length_variation = 20.0;  // percent
  std::int64_t sequence_id_start = 1;
  std::size_t num_sequences = 4;         // open loop: live sequences the requests are spread over

  void describe(nlohmann::json& target) const override;
  // Samples in one request's chunk.
  std::size_t chunk_samples() const {
    return static_cast<std::size_t>(static_cast<long long>(sample_rate_hz) * chunk.count() / 1000);
  }
};

// Every field beyond the common ones; errors "FILE: targets[I].FIELD: ...".
std::vector<std::string> kserve_stream_fields();
std::shared_ptr<KServeStreamSettings> parse_kserve_stream(Fields& fields, const std::string& model,
                                                          const std::filesystem::path& base);

}  // namespace voxperf
