// The interleaved A/B gate's decision rule for one counter, looked at after every block of repetitions.
//
// With the change oriented so that larger is worse (d = candidate - baseline for lower-is-better counters,
// baseline - candidate otherwise), its standard error s from the paired bootstrap over n pairs, and the
// critical value c = t_{n-1}(1 - a) of Student's t with n - 1 degrees of freedom (the usual reference for
// cluster-robust errors with few clusters), the bounds are L = d - c s and U = d + c s, and:
//   REGRESSED  L > 0 and d beyond the floor (the counter's tolerance: relative x baseline, or absolute)
//   IMPROVED   U < 0 and -d beyond the floor
//   PASS       U < detect (a regression as large as the counter's detect size is ruled out)
//   UNDECIDED  otherwise: more repetitions, up to the cap; at the cap the policy maps it to pass or fail.
// a = alpha / (tests x looks): Bonferroni over every gated counter of every case of the run and over every
// look the design allows. So with no change anywhere, P(any REGRESSED in the run) <= alpha whatever the
// looks found; and for each counter that got worse by at least its detect size, P(PASS) <= alpha / tests.
#pragma once

#include <cstddef>

namespace voxperf::gate {

struct SequentialDesign {
  double alpha = 0.01;                   // false-alarm bound for the whole run
  std::size_t tests = 1;                 // gated (case, counter) pairs in the run
  std::size_t repetitions_per_look = 16; // pairs added before each look
  std::size_t max_looks = 4;             // the cap: repetitions_per_look x max_looks pairs
  std::size_t cap() const { return repetitions_per_look * max_looks; }
  double level() const;                  // a, the one-sided level of each bound at each look
  double critical_value(std::size_t pairs) const;  // t_{pairs-1}(1 - a); infinite below 2 pairs
};

enum class Call { kPass, kImproved, kRegressed, kUndecided };

struct Bounds {
  double lower = 0.0, upper = 0.0;  // L and U of the oriented change, in the counter's unit
};

// `worse_by` = d, `floor` and `detect` in the counter's unit (detect >= floor).
Call sequential_call(double worse_by, double standard_error, double critical, double floor, double detect,
                     Bounds* bounds = nullptr);

}  // namespace voxperf::gate
