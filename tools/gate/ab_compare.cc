#include "tools/gate/ab_compare.h"

#include <algorithm>
#include <cmath>

#include "harness/input_error.h"
#include "tools/gate/counter_change.h"
#include "tools/gate/robust_stats.h"

namespace voxperf::gate {
namespace {

std::vector<double> finite_values(const CaseResults& result, const std::string& counter) {
  std::vector<double> out;
  const auto it = result.counters.find(counter);
  if (it == result.counters.end()) return out;
  for (double v : it->second) {
    if (std::isfinite(v)) out.push_back(v);
  }
  return out;
}

double largest_of(const CaseResults& result, const std::string& counter) {
  double out = 0.0;
  for (double v : finite_values(result, counter)) out = std::max(out, v);
  return out;
}

void add_invalid(Comparison& comparison, const std::string& name, const std::string& what, std::string note) {
  Row row;
  row.case_name = name;
  row.counter = what;
  row.verdict = Verdict::kInvalid;
  row.note = std::move(note);
  comparison.rows.push_back(std::move(row));
}

}  // namespace

Comparison compare_interleaved(const Results& results, const GatePolicy& policy) {
  Comparison comparison;
  comparison.mode = "ab";
  if (!results.injected_faults.empty()) {
    comparison.notes.push_back("candidate measured with injected faults: " + results.injected_faults);
  }
  for (const auto& [name, result] : results.cases) {
    if (!result.counters.count(std::string(kBaselinePrefix) + "requests")) continue;
    bool invalid = false;
    for (const auto& message : result.skipped) {
      add_invalid(comparison, name, "(skipped)", message);
      invalid = true;
    }
    for (const char* side : {"", kBaselinePrefix}) {
      const std::string who = *side ? "baseline" : "candidate";
      if (largest_of(result, std::string(side) + "errors") > 0) {
        add_invalid(comparison, name, "(errors)", "requests failed on the " + who);
        invalid = true;
      }
      if (largest_of(result, std::string(side) + "unsent") > 0) {
        add_invalid(comparison, name, "(unsent)", "requests were never sent on the " + who);
        invalid = true;
      }
      const auto stable = finite_values(result, std::string(side) + "stable");
      if (std::any_of(stable.begin(), stable.end(), [](double v) { return v == 0.0; })) {
        add_invalid(comparison, name, "(unstable)", "the last 3 windows did not agree on the " + who);
        invalid = true;
      }
      if (largest_of(result, std::string(side) + "over_latency_threshold") > 0) {
        add_invalid(comparison, name, "(latency threshold)", "latency reached latency_threshold_ms on the " + who);
        invalid = true;
      }
      if (largest_of(result, std::string(side) + "schedule_lag_p99_ms") > policy.schedule_lag_budget_ms) {
        add_invalid(comparison, name, "(schedule_lag)", "p99 schedule lag over the budget on the " + who);
        invalid = true;
      }
    }
    if (invalid) continue;
    for (const auto& [counter, counter_policy] : policy.counters) {
      auto candidate = finite_values(result, counter);
      auto baseline = finite_values(result, kBaselinePrefix + counter);
      if (candidate.empty() && baseline.empty()) continue;  // not a counter of this kind of case
      Row row;
      row.case_name = name;
      row.counter = counter;
      if (candidate.empty() || baseline.empty()) {
        row.verdict = Verdict::kInvalid;
        row.note = "measured on one side only";
        comparison.rows.push_back(row);
        continue;
      }
      ChangeTest test;
      test.reference = median(baseline);
      test.tolerance = counter_policy.relative;
      test.baseline = std::move(baseline);
      test.candidate = std::move(candidate);
      decide(test, counter_policy, policy.alpha, row);
      comparison.rows.push_back(row);
    }
  }
  if (comparison.rows.empty()) {
    throw InputError(results.path.string() + ": no A/B case (counters \"baseline.*\"); measure with "
                     "voxperf_bench --ab-baseline FILE");
  }
  return comparison;
}

}  // namespace voxperf::gate
