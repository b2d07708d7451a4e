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
};
const char* verdict_name(Verdict verdict);
inline bool fails(Verdict v) { return v == Verdict::kRegressed || v == Verdict::kInvalid || v == Verdict::kMissing; }

struct Row {
  std::string case_name;
  std::string counter;       // a counter name, or "(case)", "(fingerprint)", "(errors)" ... for validity rows
  double baseline = 0.0;     // reference: median of the baseline runs' medians (A/B: of the baseline side)
  double now = 0.0;          // median of this run's repetitions
  double change = 0.0;       // (now - baseline) / |baseline|; 0 when baseline is 0
  double tolerance = 0.0;    // relative tolerance the change was held to
  std::optional<double> p;   // one-sided Mann-Whitney U, toward "worse"; empty when not computed
  Verdict verdict = Verdict::kPass;
  std::string note;
};

struct Comparison {
  std::string mode;                // "stored" or "ab"
  std::vector<Row> rows;
  std::vector<std::string> notes;  // about the whole run (injected faults, new cases ...)
  std::size_t cases_passed() const;
  std::size_t cases_failed() const;
  bool failed() const { return cases_failed() > 0; }
  bool only_regressions() const;  // failed, and every failure is kRegressed (a rerun may clear it)
  std::vector<std::string> regressed_cases() const;
};

}  // namespace voxperf::gate
