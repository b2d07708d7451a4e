// Accepting a run into a baseline (the refresh): the run's repetitions become the newest entry of each
// counter's history, the oldest beyond the policy's limit drop out. Invalid runs are refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/gate/baseline_file.h"
#include "tools/gate/gate_policy.h"
#include "tools/gate/results_file.h"

namespace voxperf::gate {

struct SuiteSpec {
  std::string suite;       // for a new baseline
  std::string target_set;
  std::string filter;
};

struct UpdateOptions {
  // Start the history again when the fingerprint changed (new server build, new GPU, new voxperf version);
  // without it such a run is refused.
  bool new_fingerprint = false;
  std::string accepted_at;  // e.g. "2026-11-22T14:05:00Z", recorded with the run
};

// Returns the updated baseline and, in `summary`, one line per change ("CASE COUNTER: 14.1 -> 14.3 (+1.4%)",
// new and dropped cases). Throws InputError, naming every reason, when the run has failed or unsent
// requests, skipped cases, cases of the baseline missing, no case of the suite, or a different fingerprint
// (unless new_fingerprint).
Baseline accept_run(const std::optional<Baseline>& existing, const SuiteSpec& spec, const Results& results,
                    const GatePolicy& policy, const UpdateOptions& options, std::vector<std::string>& summary);

}  // namespace voxperf::gate
