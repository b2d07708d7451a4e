// The context block of the results JSON: what was measured, so that a baseline can tell whether a later run
// measured the same thing. Targets are written without secrets (metadata as written, "${NGC_API_KEY}");
// each target's own config response (GetRiva*Config: models, voices, profile) is asked for at start.
#pragma once

#include <string>
#include <vector>

#include "perf_tests/target_cases.h"

namespace voxperf::bench {

// A target as JSON text, metadata templates instead of values.
std::string target_json(const Target& target);

// The target's GetRivaSpeechRecognitionConfig / GetRivaSynthesisConfig response as JSON text, or
// {"error": "STATUS: message"} when the server does not answer within 10 s.
std::string server_config_json(TargetRun& run);

// Adds voxperf_version, host, gpu (the GPU names the targets' telemetry sees, or "none"), targets_file,
// injected_faults (--inject-fault, when given), and per target its
// settings and server config (and its A/B baseline's, as "ab_baseline target ..."), to Google Benchmark's context (benchmark::AddCustomContext); call before
// RunSpecifiedBenchmarks.
void add_run_context(const std::string& targets_file, const std::vector<std::unique_ptr<TargetRun>>& runs,
                     const std::vector<std::string>& injected_faults);

}  // namespace voxperf::bench
