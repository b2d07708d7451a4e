#include "harness/pipelines/kserve_stream/infer_request.h"

#include <algorithm>

#include "harness/pipelines/kserve_stream/error_class.h"
#include "harness/pipelines/kserve_stream/tensor_codec.h"

namespace voxperf {

std::vector<std::int16_t> sequence_chunk(std::span<const Utterance> utterances, std::size_t ordinal,
                                         std::size_t position, std::size_t chunk_samples) {
  std::vector<std::int16_t> chunk(chunk_samples, 0);
  if (utterances.empty() || chunk_samples == 0) return chunk;
  const auto& samples = utterances[ordinal % utterances.size()].audio.samples;
  const std::size_t chunks = std::max<std::size_t>(1, (samples.size() + chunk_samples - 1) / chunk_samples);
  const std::size_t begin = (position % chunks) * chunk_samples;
  const std::size_t end = std::min(samples.size(), begin + chunk_samples);
  if (begin < end) std::copy(samples.begin() + static_cast<std::ptrdiff_t>(begin),
                             samples.begin() + static_cast<std::ptrdiff_t>(end), chunk.begin());
  return chunk;
}

void describe_request(RequestRecord& record, std::span<const Utterance> utterances, std::size_t ordinal,
                      const SequenceStep& step, std::size_t chunk_samples, int sample_rate_hz) {
  record.item = utterances[ordinal % utterances.size()].id + "#" + std::to_string(step.position);
  record.audio_seconds_in = static_cast<double>(chunk_samples) / sample_rate_hz;
  record.chunks_sent = 1;
  record.ends_sequence = step.end;
}

std::string request_id(std::size_t slot, std::uint64_t counter) {
  return std::to_string((static_cast<std::uint64_t>(slot) << 48) | (counter & 0xFFFFFFFFFFFFull));
}

std::vector<std::int64_t> request_shape(const TensorSpec& input, std::size_t samples) {
  std::vector<std::int64_t> shape = input.shape;
  for (auto& d : shape) {
    if (d == -1) d = static_cast<std::int64_t>(samples);
  }
  return shape;
}

inference::ModelInferRequest infer_request(const KServeStreamSettings& settings, const std::string& id,
                                           const SequenceStep& step, std::span<const std::int16_t> chunk) {
  inference::ModelInferRequest request;
  request.set_model_name(settings.model_name);
  request.set_model_version(settings.model_version);
  request.set_id(id);
  auto& parameters = *request.mutable_parameters();
  parameters["triton_enable_empty_final_response"].set_bool_param(true);
  parameters["sequence_id"].set_int64_param(step.id);
  parameters["sequence_start"].set_bool_param(step.start);
  parameters["sequence_end"].set_bool_param(step.end);
  auto* input = request.add_inputs();
  input->set_name(settings.input.name);
  input->set_datatype(settings.input.datatype);
  for (std::int64_t d : request_shape(settings.input, chunk.size())) input->add_shape(d);
  request.add_raw_input_contents(encode_audio(chunk, settings.input.datatype));
  if (!settings.output.name.empty()) request.add_outputs()->set_name(settings.output.name);
  return request;
}

ResponseEvent response_event(const inference::ModelInferResponse& response, const std::string& output,
                             TimePoint at, bool& final_response) {
  final_response = true;  // a missing triton_final_response means final (the Triton client's rule)
  if (auto it = response.parameters().find("triton_final_response"); it != response.parameters().end()) {
    final_response = it->second.bool_param();
  }
  ResponseEvent event;
  event.at = at;
  int index = -1;
  for (int i = 0; i < response.outputs_size(); ++i) {
    if (output.empty() || response.outputs(i).name() == output) {
      index = i;
      break;
    }
  }
  if (index < 0) {
    event.kind = ResponseKind::kEmpty;  // e.g. the empty final response of a decoupled model
    return event;
  }
  std::string raw;
  if (index < response.raw_output_contents_size()) {
    raw = response.raw_output_contents(index);
  } else if (response.outputs(index).contents().bytes_contents_size() > 0) {
    raw = encode_bytes_elements({response.outputs(index).contents().bytes_contents(0)});
  }
  event.bytes = raw.size();
  if (auto elements = decode_bytes_elements(raw); elements && !elements->empty()) event.text = elements->front();
  event.kind = final_response ? ResponseKind::kFinal : ResponseKind::kPartial;
  return event;
}

Status in_band_error(const std::string& message) {
  return {2 /* UNKNOWN: the stream carries no code */, message, kserve_error_class(message)};
}

}  // namespace voxperf
