// One KServe inference request of a sequence, as perf_analyzer's Triton client puts it on the wire
// (../shared/facts/kserve-wire.md): id, sequence_id as int64_param, sequence_start and sequence_end always
// both as bool_param, triton_enable_empty_final_response, one raw_input_contents entry for the one input.
// And what a response means to a RequestRecord.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kserve/grpc_service.pb.h"
#include "harness/manifest.h"
#include "harness/pipelines/kserve_stream/kserve_settings.h"
#include "harness/pipelines/kserve_stream/sequence_plan.h"
#include "harness/request_record.h"

namespace voxperf {

// The audio a sequence sends: sequence `ordinal` reads utterance ordinal modulo their number, and its request
// at `position` the chunk at that position, wrapping round the utterance; the last chunk is padded with silence.
std::vector<std::int16_t> sequence_chunk(std::span<const Utterance> utterances, std::size_t ordinal,
                                         std::size_t position, std::size_t chunk_samples);

// What a record says about the request that carries `chunk` at `step` of sequence `ordinal`: its item
// ("<utterance>#<position>"), audio seconds in, one chunk sent, and whether it ends its sequence.
void describe_request(RequestRecord& record, std::span<const Utterance> utterances, std::size_t ordinal,
                      const SequenceStep& step, std::size_t chunk_samples, int sample_rate_hz);

// perf_analyzer's request id: the slot (its InferContext) in the high 16 bits, a counter in the low 48.
std::string request_id(std::size_t slot, std::uint64_t counter);

// The input's shape with -1 (the samples dimension) replaced by `samples`.
std::vector<std::int64_t> request_shape(const TensorSpec& input, std::size_t samples);

inference::ModelInferRequest infer_request(const KServeStreamSettings& settings, const std::string& id,
                                           const SequenceStep& step, std::span<const std::int16_t> chunk);

// A response as the record's event: the transcript of the named output (or the first), final unless
// triton_final_response says otherwise. `final_response` tells the caller whether the request is over.
ResponseEvent response_event(const inference::ModelInferResponse& response, const std::string& output,
                             TimePoint at, bool& final_response);

// An error the server put in a stream's error_message: the request failed, the stream goes on.
Status in_band_error(const std::string& message);

}  // namespace voxperf
