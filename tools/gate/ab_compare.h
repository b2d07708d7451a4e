// Interleaved A/B comparison: one results file from voxperf_bench --ab-baseline, where every repetition of a
// case measured the baseline deployment and the candidate back to back (in alternating order). The
// candidate's counters have their plain names, the baseline's are prefixed "baseline.". Both sides share the
// machine's state at each moment, so run-to-run drift cancels and the one-sided U test's level holds: a
// counter regresses when p < alpha and the change of medians is beyond its tolerance floor.
#pragma once

#include "tools/gate/gate_policy.h"
#include "tools/gate/results_file.h"
#include "tools/gate/verdict.h"

namespace voxperf::gate {

inline constexpr const char* kBaselinePrefix = "baseline.";

// Validity rows: (skipped), (errors) when either side had failed requests, (unsent), (schedule_lag).
// Throws InputError when the file has no A/B case at all.
Comparison compare_interleaved(const Results& results, const GatePolicy& policy);

}  // namespace voxperf::gate
