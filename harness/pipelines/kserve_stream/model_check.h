// Before any traffic: does the model the server serves take the tensors the targets file describes?
// Compared against ModelMetadata (names, datatypes, shapes with -1 for variable dimensions).
#pragma once

#include <string>

#include "harness/pipelines/kserve_stream/kserve_settings.h"
#include "kserve/grpc_service.pb.h"

namespace voxperf {

// "" when they agree; otherwise the first disagreement, naming the targets-file field:
// "input.datatype: FP32 here, but model 'streaming_acoustic' takes INT16 (ModelMetadata)".
std::string check_model(const KServeStreamSettings& settings, const inference::ModelMetadataResponse& metadata);

}  // namespace voxperf
