// The interleaved A/B gate's decision rule for one counter, looked at after every block of repetitions.
//
// Two paired randomization tests (paired_randomization.h), each oriented so that larger is worse (candidate - baseline for lower-is-better counters, baseline - candidate otherwise), give the
// observed change d and the lower and upper quantiles lo and hi of the changes over random swaps within
// pairs: "no change" on the data as measured, at one-sided level a, and "at detect", with every candidate
// request first made better by the detect size, at one-sided level b. Then:
//   REGRESSED  d > hi (no change) and d beyond the floor (the counter's tolerance: relative x baseline, or
//              absolute)
//   IMPROVED   d < lo (no change) and -d beyond the floor
//   PASS       d < lo (at detect): a regression as large as the counter's detect size is ruled out
//   UNDECIDED  otherwise: more repetitions, up to the cap; at the cap the policy maps it to pass or fail.
// The bounds shown are L = d - hi (no change) and U = detect + d - lo (at detect), so L > 0 is REGRESSED's
// test and U < detect is PASS's. The first test is exact; the second is exact where a regression delays every
// request alike, and approximate otherwise (a change only in the tail), since the detect size is moved onto
// every request. L is not a confidence bound of the change: with a real change, the swaps mix shifted and
// unshifted repetitions and spread wider, so L lies below it.
// a = alpha / (tests x looks): Bonferroni over every gated counter of every case of the run and over every
// look the design allows. So with no change anywhere, P(any REGRESSED in the run) <= alpha whatever the
// looks found.
// b = beta / looks, with no division by the tests: a case passes only when every one of its counters does,
// so a counter that got worse by at least its detect size is passed with P <= beta whatever the others do
// (an intersection-union test, Berger 1982, needs no multiplicity correction); the looks are still summed.
// PASS is the gate's miss, so beta is 1 - the power it promises (0.05: 95 %), while REGRESSED is its false
// alarm, held to alpha over the whole run.
#pragma once

#include <cstddef>

namespace voxperf::gate {

struct SequentialDesign {
  double alpha = 0.01;                   // false-alarm bound for the whole run
  double beta = 0.05;                    // per counter: P(PASS) for a regression of its detect size
  std::size_t tests = 1;                 // gated (case, counter) pairs in the run
  std::size_t repetitions_per_look = 16; // pairs added before each look
  std::size_t max_looks = 4;             // the cap: repetitions_per_look x max_looks pairs
  std::size_t cap() const { return repetitions_per_look * max_looks; }
  double level() const;                  // a, the one-sided level of REGRESSED's and IMPROVED's bound at each look
  double pass_level() const;             // b, the one-sided level of PASS's bound at each look
};

enum class Call { kPass, kImproved, kRegressed, kUndecided };

// One randomization test, oriented, in the counter's unit: d, lo and hi above.
struct SwapTest {
  double observed = 0.0, low = 0.0, high = 0.0;
};

struct Bounds {
  double lower = 0.0, upper = 0.0;  // L and U of the oriented change, in the counter's unit
};

// `floor` and `detect` in the counter's unit (detect >= floor).
Call sequential_call(const SwapTest& no_change, const SwapTest& at_detect, double floor, double detect,
                     Bounds* bounds = nullptr);

}  // namespace voxperf::gate
