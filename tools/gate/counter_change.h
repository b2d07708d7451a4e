// The decision for one counter: is the candidate worse (or better) than the reference by more than the
// tolerance, and is that statistically real? Shared by stored-baseline and interleaved A/B comparisons.
#pragma once

#include <vector>

#include "tools/gate/gate_policy.h"
#include "tools/gate/verdict.h"

namespace voxperf::gate {

struct ChangeTest {
  double reference = 0.0;       // the baseline's centre
  double tolerance = 0.0;       // relative
  std::vector<double> baseline; // the baseline's repetitions, for the U test
  std::vector<double> candidate;
};

// Fills baseline, now, change, tolerance, p and verdict of `row`. A change counts when it is beyond both
// tolerances (relative and the counter's absolute floor) and the one-sided U test toward it gives
// p < alpha; where the sample sizes can not reach alpha at all (3 against 3 gives at best 0.05), the U test
// is reported but the tolerance decides alone.
void decide(const ChangeTest& test, const CounterPolicy& counter, double alpha, Row& row);

// The smallest one-sided p a U test of m against n values can give: 1 / C(m + n, m).
double smallest_p(std::size_t m, std::size_t n);

}  // namespace voxperf::gate
