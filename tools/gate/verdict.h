// What the gate says about one counter of one case, and about a whole comparison.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace voxperf::gate {

enum class Verdict {
  kPass,       // within tolerance, or not statistically real
  kImproved,   // better beyond tolerance: a candidate for a baseline refresh, never accepted automatically
  kRegressed,  // worse beyond tolerance and statistically real
  kInvalid,    // the run can not be compared: errors, unsent requests, schedule lag, fingerprint, no value
  kMissing,    // in the baseline, not in the results
  kUndecided,  // A/B: neither a regression nor its absence is clear yet; fails or passes as the policy says
};
const char* verdict_name(Verdict verdict);
// kUndecided is not in here: whether it fails is the policy's (Comparison::fails).
inline bool fails(Verdict v) { return v == Verdict::kRegressed || v == Verdict::kInvalid || v == Verdict::kMissing; }

struct Row {
  std::string case_name;
  std::string counter;       // a counter name, or "(case)", "(fingerprint)", "(errors)" ... for validity rows
  double baseline = 0.0;     // reference: median of the baseline runs' medians (A/B: of the baseline side)
  double now = 0.0;          // median of this run's repetitions
  double change = 0.0;       // (now - baseline) / |baseline|; 0 when baseline is 0
  double tolerance = 0.0;    // relative tolerance the change was held to
  std::optional<double> p;   // stored: one-sided Mann-Whitney U, toward "worse"; empty when not computed
  // A/B: the confidence bounds of `change` at the look's level, and the repetition pairs behind them.
  std::optional<double> lower, upper;
  std::size_t pairs = 0;
  bool more_possible = false;  // A/B kUndecided below the cap: not a verdict yet
  Verdict verdict = Verdict::kPass;
  std::string note;
};

struct Comparison {
  std::string mode;                // "stored" or "ab"
  std::vector<Row> rows;
  std::vector<std::string> notes;  // about the whole run (injected faults, new cases ...)
  bool undecided_fails = true;     // A/B at the cap: the policy's "undecided"
  std::vector<std::string> more;   // A/B: undecided cases below the cap, which more repetitions may decide
  bool fails(const Row& row) const {
    return gate::fails(row.verdict) || (row.verdict == Verdict::kUndecided && undecided_fails && !row.more_possible);
  }
  std::size_t cases_passed() const;  // neither failed nor in `more`
  std::size_t cases_failed() const;
  bool failed() const { return cases_failed() > 0; }
  bool only_regressions() const;  // failed, and every failure is kRegressed (a rerun may clear it)
  std::vector<std::string> regressed_cases() const;
};

}  // namespace voxperf::gate
