#include "tools/gate/ab_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "harness/input_error.h"
#include "tools/gate/paired_randomization.h"
#include "tools/gate/sequential_test.h"

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


// One gated counter of one case, with both sides' data, before the run's number of tests is known.
struct PendingTest {
  std::string case_name, counter;
  CounterPolicy policy;
  PooledStatistic statistic;
  Repetitions baseline, candidate;
  std::string note;
};

std::string fixed_text(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.3g", value);
  return text;
}

// Repetition i of both sides, where both measured the counter.
void paired_values(const CaseResults& result, const std::string& counter, Repetitions& baseline, Repetitions& candidate) {
  const auto c = result.counters.find(counter), b = result.counters.find(kBaselinePrefix + counter);
  if (c == result.counters.end() || b == result.counters.end()) return;
  for (std::size_t i = 0; i < std::min(c->second.size(), b->second.size()); ++i) {
    if (!std::isfinite(c->second[i]) || !std::isfinite(b->second[i])) continue;
    candidate.values.push_back(c->second[i]);
    baseline.values.push_back(b->second[i]);
  }
}

std::optional<PendingTest> pending_test(const std::string& name, const CaseResults& result, const std::string& counter,
                                        const CounterPolicy& policy, Comparison& comparison) {
  const bool on_candidate = !finite_values(result, counter).empty();
  const bool on_baseline = !finite_values(result, kBaselinePrefix + counter).empty();
  if (!on_candidate && !on_baseline) return std::nullopt;  // not a counter of this kind of case
  if (!on_candidate || !on_baseline) {
    add_invalid(comparison, name, counter, "measured on one side only");
    return std::nullopt;
  }
  PendingTest test{name, counter, policy, pooled_statistic(counter), {}, {}, ""};
  if (test.statistic.kind != PooledStatistic::Kind::kRepetitionMean) {
    const auto c = result.samples.find(test.statistic.family);
    const auto b = result.samples.find(kBaselinePrefix + test.statistic.family);
    if (c != result.samples.end() && b != result.samples.end()) {
      if (c->second.size() != b->second.size()) {
        add_invalid(comparison, name, counter, "the samples file has " + std::to_string(b->second.size()) +
                                                   " baseline and " + std::to_string(c->second.size()) +
                                                   " candidate repetitions");
        return std::nullopt;
      }
      test.candidate.samples = c->second;
      test.baseline.samples = b->second;
      return test;
    }
    test.note = "per-repetition values: no " + test.statistic.family + " samples";
    test.statistic = PooledStatistic{};
  }
  paired_values(result, counter, test.baseline, test.candidate);
  return test;
}

Row judge(const PendingTest& test, const SequentialDesign& design, std::size_t min_draws) {
  Row row;
  row.case_name = test.case_name;
  row.counter = test.counter;
  row.tolerance = test.policy.relative;
  const double level = design.level(), pass_level = design.pass_level();
  const std::uint64_t seed = seed_of(test.case_name + " " + test.counter);
  const auto estimate = paired_randomization(test.baseline, test.candidate, test.statistic, 0.0, level,
                                             randomization_draws(level, min_draws), seed);
  row.pairs = estimate.pairs;
  row.baseline = estimate.baseline;
  row.now = estimate.candidate;
  const double scale = std::abs(estimate.baseline);
  row.change = scale > 0 ? (estimate.candidate - estimate.baseline) / scale : 0.0;
  const bool lower_is_better = test.policy.better == Better::kLower;
  const double floor = std::max(test.policy.relative * scale, test.policy.absolute);
  const double detect = std::max(test.policy.detect * scale, floor);
  // The candidate made better by the detect size: a regression that large would leave no change.
  const auto at_detect = paired_randomization(test.baseline, test.candidate, test.statistic,
                                              lower_is_better ? -detect : detect, pass_level,
                                              randomization_draws(pass_level, min_draws), seed);
  // The tests' changes are candidate - baseline; oriented, a higher-is-better counter's are negated.
  auto oriented = [lower_is_better](const RandomizationEstimate& e) {
    return lower_is_better ? SwapTest{e.observed, e.low, e.high} : SwapTest{-e.observed, -e.high, -e.low};
  };
  Bounds bounds;
  const Call call = sequential_call(oriented(estimate), oriented(at_detect), floor, detect, &bounds);
  if (scale > 0 && std::isfinite(bounds.lower) && std::isfinite(bounds.upper)) {
    row.lower = (lower_is_better ? bounds.lower : -bounds.upper) / scale;
    row.upper = (lower_is_better ? bounds.upper : -bounds.lower) / scale;
  }
  row.note = test.note;
  auto add_note = [&row](const std::string& text) { row.note += (row.note.empty() ? "" : "; ") + text; };
  switch (call) {
    case Call::kRegressed: row.verdict = Verdict::kRegressed; break;
    case Call::kImproved:
      row.verdict = Verdict::kImproved;
      add_note("refresh candidate");
      break;
    case Call::kPass: row.verdict = Verdict::kPass; break;
    case Call::kUndecided:
      row.verdict = Verdict::kUndecided;
      row.more_possible = estimate.pairs < design.cap();
      add_note(std::to_string(estimate.pairs) + " of " + std::to_string(design.cap()) + " repetitions" +
               (estimate.pairs < design.cap() ? ": measure more" : ": at the cap"));
      break;
  }
  return row;
}

}  // namespace

Comparison compare_interleaved(const Results& results, const GatePolicy& policy) {
  Comparison comparison;
  comparison.mode = "ab";
  comparison.undecided_fails = policy.ab.undecided_fails;
  std::vector<PendingTest> tests;
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
      if (largest_of(result, std::string(side) + "over_chunk_lag_budget") > 0) {
        add_invalid(comparison, name, "(chunk_lag)", "the client fell behind its real-time pace on the " + who);
        invalid = true;
      }
      if (largest_of(result, std::string(side) + "schedule_lag_p99_ms") > policy.schedule_lag_budget_ms) {
        add_invalid(comparison, name, "(schedule_lag)", "p99 schedule lag over the budget on the " + who);
        invalid = true;
      }
    }
    if (invalid) continue;
    for (const auto& [counter, counter_policy] : policy.counters) {
      if (auto test = pending_test(name, result, counter, counter_policy, comparison)) tests.push_back(std::move(*test));
    }
  }
  SequentialDesign design;
  design.alpha = policy.alpha;
  design.beta = policy.ab.beta;
  design.tests = tests.size();
  design.repetitions_per_look = policy.ab.repetitions_per_look;
  design.max_looks = policy.ab.max_looks;
  for (const auto& test : tests) comparison.rows.push_back(judge(test, design, policy.ab.randomization_draws));
  std::set<std::string> undecided, failed;
  for (const auto& row : comparison.rows) {
    if (row.verdict == Verdict::kUndecided && row.pairs < design.cap()) undecided.insert(row.case_name);
    if (fails(row.verdict)) failed.insert(row.case_name);
  }
  for (const auto& name : undecided) {
    if (!failed.count(name)) comparison.more.push_back(name);
  }
  comparison.notes.push_back(
      "A/B: pooled per-request statistics, paired randomization test over repetitions; " + std::to_string(design.tests) +
      " gated counters, up to " + std::to_string(design.max_looks) + " looks of " +
      std::to_string(design.repetitions_per_look) + " repetitions: L at one-sided level " + fixed_text(design.level()) +
      " (alpha " + fixed_text(policy.alpha) + " for the whole run), U at " + fixed_text(design.pass_level()) +
      " (beta " + fixed_text(design.beta) + " per counter)");
  if (comparison.rows.empty()) {
    throw InputError(results.path.string() + ": no A/B case (counters \"baseline.*\"); measure with "
                     "voxperf_bench --ab-baseline FILE");
  }
  return comparison;
}

}  // namespace voxperf::gate
