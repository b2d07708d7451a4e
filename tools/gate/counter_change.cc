#include "tools/gate/counter_change.h"

#include <cmath>

#include "tools/gate/mann_whitney.h"
#include "tools/gate/robust_stats.h"

namespace voxperf::gate {
namespace {

// Oriented so that larger means worse.
std::vector<double> worse_is_larger(const std::vector<double>& values, Better better) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(better == Better::kLower ? v : -v);
  return out;
}

}  // namespace

double smallest_p(std::size_t m, std::size_t n) {
  const double dm = static_cast<double>(m), dn = static_cast<double>(n);
  return std::exp(std::lgamma(dm + 1) + std::lgamma(dn + 1) - std::lgamma(dm + dn + 1));
}

void decide(const ChangeTest& test, const CounterPolicy& counter, double alpha, Row& row) {
  row.baseline = test.reference;
  row.now = median(test.candidate);
  row.tolerance = test.tolerance;
  row.change = test.reference != 0.0 ? (row.now - test.reference) / std::abs(test.reference) : 0.0;
  const double worse_by = counter.better == Better::kLower ? row.now - test.reference : test.reference - row.now;
  const double limit = std::max(test.tolerance * std::abs(test.reference), counter.absolute);
  const bool u_decides = smallest_p(test.candidate.size(), test.baseline.size()) < alpha;

  const auto candidate = worse_is_larger(test.candidate, counter.better);
  const auto baseline = worse_is_larger(test.baseline, counter.better);
  if (worse_by > limit) {
    row.p = mann_whitney_greater(candidate, baseline).p;
    row.verdict = (!u_decides || *row.p < alpha) ? Verdict::kRegressed : Verdict::kPass;
    if (row.verdict == Verdict::kPass) row.note = "beyond tolerance, not significant";
  } else if (-worse_by > limit) {
    row.p = mann_whitney_greater(baseline, candidate).p;  // toward "better"
    row.verdict = (!u_decides || *row.p < alpha) ? Verdict::kImproved : Verdict::kPass;
    if (row.verdict == Verdict::kImproved) row.note = "refresh candidate";
  } else {
    row.p = mann_whitney_greater(candidate, baseline).p;
    row.verdict = Verdict::kPass;
  }
  if (!u_decides && row.note.empty()) row.note = "too few repetitions for the U test at alpha";
}

}  // namespace voxperf::gate
