// The one list of pipelines: kind -> Pipeline. Adding a pipeline is a folder under harness/pipelines/ and
// one line in registry.cc.
#pragma once

#include <string>
#include <vector>

#include "harness/pipelines/pipeline.h"

namespace voxperf {

// Every pipeline, in the order the README lists them.
const std::vector<const Pipeline*>& pipelines();

// The pipeline of `kind`, or null.
const Pipeline* find_pipeline(const std::string& kind);

// "riva_asr, riva_tts": for messages.
std::string pipeline_kinds();

}  // namespace voxperf
