// The gate policy (baselines/policy.json): which counters are gated, which way is better, and how large a
// change must be before it can count, plus the validity budgets. Counters the policy does not name are
// shown nowhere and never fail.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace voxperf::gate {

enum class Better { kLower, kHigher };

struct CounterPolicy {
  Better better = Better::kLower;
  double relative = 0.05;  // tolerance floor in interleaved A/B runs: |change| / baseline must exceed this ...
  double absolute = 0.0;   // ... and |change| must exceed this (for small values: WER, ms near zero)
  // The floor against stored baselines, which hold runs from other days (and machines, for the committed
  // reference baselines): wider, because run-to-run offsets are invisible to repetitions within one run.
  double stored_relative = 0.05;
  // Against stored baselines, gate the counter only when the case's windows had at least this many
  // requests: a P99 needs about 2,000 for 20 samples beyond it (../shared/facts/regression-gates.md);
  // with fewer it is close to the window's maximum, which one hiccup of a shared machine moves by 100 %.
  std::size_t min_requests = 0;
  // Interleaved A/B: the regression the gate promises to catch (relative). A look passes the counter only
  // when its upper bound rules out a change this large; default: twice `relative`.
  double detect = 0.10;
};

// Interleaved A/B (tools/gate/sequential_test.h): how many repetitions per look, how many looks at most,
// the fewest random swaps per test (more where its level needs them), the chance of passing a counter that
// got worse by its detect size, and what a case still undecided at the cap counts as.
struct AbPolicy {
  double beta = 0.05;
  std::size_t repetitions_per_look = 16;
  std::size_t max_looks = 4;
  std::size_t randomization_draws = 2000;
  bool undecided_fails = true;
};

struct GatePolicy {
  double alpha = 0.01;            // stored: the one-sided U test's level per counter; A/B: for the whole run
  double spread_multiplier = 3.0; // stored baselines: tolerance = max(relative, k x robust relative spread)
  std::size_t min_history_runs = 3;   // below this, the spread comes from the repetitions themselves
  std::size_t history_limit = 10;     // accepted runs kept per counter
  double schedule_lag_budget_ms = 50; // open loop: p99 lag of sends behind their schedule
  AbPolicy ab;
  std::map<std::string, CounterPolicy> counters;
};

// Throws InputError naming the file and field.
GatePolicy read_policy(const std::filesystem::path& path);

}  // namespace voxperf::gate
