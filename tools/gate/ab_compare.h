// Interleaved A/B comparison: the results of voxperf_bench --ab-baseline, where every repetition of a case
// measured the baseline deployment and the candidate back to back (in alternating order). The candidate's
// counters have their plain names, the baseline's are prefixed "baseline."; the per-request samples come
// from the samples file beside the results (CaseResults::samples). Both sides share the machine's state at
// each moment, so drift cancels. Each gated counter is its statistic over the pooled repetitions of each
// side (tools/gate/paired_bootstrap.h), judged by the sequential rule of tools/gate/sequential_test.h:
// PASS, REGRESSED, IMPROVED or UNDECIDED (Comparison::more lists the cases more repetitions may decide).
#pragma once

#include "tools/gate/gate_policy.h"
#include "tools/gate/results_file.h"
#include "tools/gate/verdict.h"

namespace voxperf::gate {

inline constexpr const char* kBaselinePrefix = "baseline.";

// Validity rows: (skipped), (errors) when either side had failed requests, (unsent), (schedule_lag) ...
// Throws InputError when the results have no A/B case at all.
Comparison compare_interleaved(const Results& results, const GatePolicy& policy);

}  // namespace voxperf::gate
