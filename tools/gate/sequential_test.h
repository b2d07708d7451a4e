// The interleaved A/B gate's decision rule for one counter, looked at after every block of repetitions.
//
// With the change oriented so that larger is worse (d = candidate - baseline for lower-is-better counters,
// baseline - candidate otherwise), two paired randomization tests (paired_randomization.h) at level a each
// way give the range that chance alone spans: lo0 and hi0, the lower and upper quantiles of the oriented
// change over random swaps within pairs; and lo_detect, the lower quantile of the same with the candidate
// first made better by the detect size. The bounds are L = d - hi0 and U = d - lo_detect, and:
//   REGRESSED  L > 0 and d beyond the floor (the counter's tolerance: relative x baseline, or absolute)
//   IMPROVED   d < lo0 and -d beyond the floor
//   PASS       U < detect (a regression as large as the counter's detect size is ruled out)
//   UNDECIDED  otherwise: more repetitions, up to the cap; at the cap the policy maps it to pass or fail.
// L > 0 is the test of "no change" rejecting; U < detect is the test of "worse by the detect size"
// rejecting. The first is exact; the second is exact where a regression delays every request alike, and
// approximate otherwise (a change only in the tail), since the detect size is moved onto every request.
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
};

enum class Call { kPass, kImproved, kRegressed, kUndecided };

// How far the oriented change strays by chance alone, in the counter's unit: lo0 and hi0 above, and lo_detect.
struct ChanceRange {
  double low = 0.0, high = 0.0;
  double low_at_detect = 0.0;
};

struct Bounds {
  double lower = 0.0, upper = 0.0;  // L and U of the oriented change, in the counter's unit
};

// `worse_by` = d, `floor` and `detect` in the counter's unit (detect >= floor).
Call sequential_call(double worse_by, ChanceRange chance, double floor, double detect, Bounds* bounds = nullptr);

}  // namespace voxperf::gate
