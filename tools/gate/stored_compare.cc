#include "tools/gate/stored_compare.h"

#include <algorithm>
#include <cmath>
#include <regex>

#include "tools/gate/counter_change.h"
#include "tools/gate/robust_stats.h"

namespace voxperf::gate {
namespace {

std::vector<double> finite(const std::vector<double>& values) {
  std::vector<double> out;
  for (double v : values) {
    if (std::isfinite(v)) out.push_back(v);
  }
  return out;
}

const std::vector<double>* counter_values(const CaseResults& results, const std::string& counter) {
  const auto it = results.counters.find(counter);
  return it == results.counters.end() ? nullptr : &it->second;
}

double largest(const std::vector<double>* values) {
  double out = 0.0;
  if (values) {
    for (double v : finite(*values)) out = std::max(out, v);
  }
  return out;
}

Row validity_row(const std::string& name, const std::string& what, Verdict verdict, std::string note) {
  Row row;
  row.case_name = name;
  row.counter = what;
  row.verdict = verdict;
  row.note = std::move(note);
  return row;
}

// Validity rows for one case; empty when it can be compared.
std::vector<Row> validity(const std::string& name, const std::map<std::string, RunHistory>& stored,
                          const CaseResults& now, const GatePolicy& policy) {
  std::vector<Row> rows;
  for (const auto& message : now.skipped) rows.push_back(validity_row(name, "(skipped)", Verdict::kInvalid, message));
  const auto stored_errors = stored.find("errors");
  bool baseline_had_errors = false;
  if (stored_errors != stored.end()) {
    for (const auto& run : stored_errors->second) baseline_had_errors = baseline_had_errors || largest(&run) > 0;
  }
  if (!baseline_had_errors && largest(counter_values(now, "errors")) > 0) {
    const std::string label = now.labels.empty() ? "" : " (" + now.labels.front() + ")";
    rows.push_back(validity_row(name, "(errors)", Verdict::kInvalid,
                                "requests failed where the baseline had none" + label));
  }
  if (largest(counter_values(now, "unsent")) > 0) {
    rows.push_back(validity_row(name, "(unsent)", Verdict::kInvalid, "requests were never sent"));
  }
  // A load level that did not settle (perf_analyzer's stability rule) or stopped the sweep at its latency
  // threshold is not a measurement to compare.
  if (const auto* stable = counter_values(now, "stable")) {
    if (std::any_of(stable->begin(), stable->end(), [](double v) { return v == 0.0; })) {
      rows.push_back(validity_row(name, "(unstable)", Verdict::kInvalid,
                                  "the last 3 windows did not agree within stability_percent"));
    }
  }
  if (largest(counter_values(now, "over_latency_threshold")) > 0) {
    rows.push_back(validity_row(name, "(latency threshold)", Verdict::kInvalid,
                                "latency reached latency_threshold_ms: the sweep stopped here"));
  }
  if (largest(counter_values(now, "over_chunk_lag_budget")) > 0) {
    rows.push_back(validity_row(name, "(chunk_lag)", Verdict::kInvalid,
                                "the client fell behind its real-time pace (chunk lag P99 over its budget)"));
  }
  const double lag = largest(counter_values(now, "schedule_lag_p99_ms"));
  if (lag > policy.schedule_lag_budget_ms) {
    rows.push_back(validity_row(name, "(schedule_lag)", Verdict::kInvalid,
                                "p99 schedule lag " + std::to_string(lag) + " ms over the budget"));
  }
  return rows;
}

ChangeTest change_test(const RunHistory& history, const std::vector<double>& candidate, const GatePolicy& policy,
                       const CounterPolicy& counter) {
  ChangeTest test;
  std::vector<double> run_medians;
  for (const auto& run : history) {
    const auto values = finite(run);
    if (values.empty()) continue;
    run_medians.push_back(median(values));
    test.baseline.insert(test.baseline.end(), values.begin(), values.end());
  }
  test.reference = median(run_medians);
  const double spread =
      run_medians.size() >= policy.min_history_runs ? scaled_mad(run_medians) : scaled_mad(test.baseline);
  test.tolerance = counter.stored_relative;
  if (test.reference != 0.0 && std::isfinite(spread)) {
    test.tolerance = std::max(counter.stored_relative, policy.spread_multiplier * spread / std::abs(test.reference));
  }
  test.candidate = finite(candidate);
  return test;
}

}  // namespace

Comparison compare_with_baseline(const Baseline& baseline, const Results& results, const GatePolicy& policy,
                                 const Results* confirmation) {
  Comparison comparison;
  comparison.mode = "stored";
  if (!results.injected_faults.empty()) {
    comparison.notes.push_back("measured with injected faults: " + results.injected_faults);
  }
  std::string mismatch;
  for (const auto& [key, value] : baseline.fingerprint) {
    const auto it = results.fingerprint.find(key);
    if (it == results.fingerprint.end()) {
      mismatch = key + " is absent from the results";
    } else if (it->second != value) {
      mismatch = key + " differs: baseline " + value + ", now " + it->second;
    }
    if (!mismatch.empty()) break;
  }
  const std::regex filter(baseline.filter);
  for (const auto& [name, result] : results.cases) {
    if (std::regex_search(name, filter) && !baseline.cases.count(name)) {
      comparison.notes.push_back(name + ": not in the baseline (a refresh adds it)");
    }
  }
  for (const auto& [name, stored] : baseline.cases) {
    if (!mismatch.empty()) {
      comparison.rows.push_back(validity_row(name, "(fingerprint)", Verdict::kInvalid, mismatch));
      continue;
    }
    const auto found = results.cases.find(name);
    if (found == results.cases.end()) {
      comparison.rows.push_back(validity_row(name, "(case)", Verdict::kMissing, "not in the results"));
      continue;
    }
    auto invalid = validity(name, stored, found->second, policy);
    if (!invalid.empty()) {
      comparison.rows.insert(comparison.rows.end(), invalid.begin(), invalid.end());
      continue;
    }
    for (const auto& [counter, history] : stored) {
      const auto gated = policy.counters.find(counter);
      if (gated == policy.counters.end()) continue;
      Row row;
      row.case_name = name;
      row.counter = counter;
      const auto* values = counter_values(found->second, counter);
      if (!values || finite(*values).empty()) {
        row.verdict = Verdict::kInvalid;
        row.note = "no value in the results";
        comparison.rows.push_back(row);
        continue;
      }
      const auto* requests = counter_values(found->second, "requests");
      const double window_requests = requests && !finite(*requests).empty() ? median(finite(*requests)) : 0.0;
      if (gated->second.min_requests > 0 && window_requests < static_cast<double>(gated->second.min_requests)) {
        const ChangeTest test = change_test(history, *values, policy, gated->second);
        row.baseline = test.reference;
        row.now = median(test.candidate);
        row.change = test.reference != 0.0 ? (row.now - test.reference) / std::abs(test.reference) : 0.0;
        row.tolerance = test.tolerance;
        row.note = "not gated: " + std::to_string(static_cast<long>(window_requests)) + " requests per window, " +
                   std::to_string(gated->second.min_requests) + " needed";
        comparison.rows.push_back(row);
        continue;
      }
      decide(change_test(history, *values, policy, gated->second), gated->second, policy.alpha, row);
      if (row.verdict == Verdict::kRegressed && confirmation) {
        Row again = row;
        const auto confirm_case = confirmation->cases.find(name);
        const auto* confirm_values =
            confirm_case == confirmation->cases.end() ? nullptr : counter_values(confirm_case->second, counter);
        if (confirm_values && !finite(*confirm_values).empty()) {
          decide(change_test(history, *confirm_values, policy, gated->second), gated->second, policy.alpha, again);
        }
        if (again.verdict != Verdict::kRegressed) {
          row.verdict = Verdict::kPass;
          row.note = "not confirmed by the rerun";
        } else {
          row.note = "confirmed by the rerun";
        }
      }
      comparison.rows.push_back(row);
    }
  }
  return comparison;
}

}  // namespace voxperf::gate
