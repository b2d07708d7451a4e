// Stored-baseline comparison: this run's repetitions against the accepted runs in a baseline file.
//
// The reference is the median of the accepted runs' medians. The tolerance is calibrated from their spread:
// max(the counter's floor, k x 1.4826 x MAD of the run medians / reference), so a counter that varies from
// run to run gets a wider band; with fewer than min_history_runs runs, the MAD of all their repetitions
// stands in. A U test of this run against the stored repetitions must agree (it can not stand alone: runs
// on different days differ by more than repetitions within one run, see ../shared/facts/regression-gates.md).
// An optional confirmation run must regress too. A counter with a min_requests policy (P99s) is shown but not
// gated when the case's windows had fewer requests.
#pragma once

#include <optional>

#include "tools/gate/baseline_file.h"
#include "tools/gate/gate_policy.h"
#include "tools/gate/results_file.h"
#include "tools/gate/verdict.h"

namespace voxperf::gate {

// Validity first (each failure is a row of its own, and the case is not compared further):
//   (fingerprint)  a fingerprint entry of the baseline differs or is absent;
//   (case)         the case is missing from the results (kMissing);
//   (skipped)      Google Benchmark reported an error for it;
//   (errors)       requests failed where the baseline had none;
//   (unsent)       requests were never sent;
//   (schedule_lag) p99 schedule lag over the policy's budget.
Comparison compare_with_baseline(const Baseline& baseline, const Results& results, const GatePolicy& policy,
                                 const Results* confirmation = nullptr);

}  // namespace voxperf::gate
