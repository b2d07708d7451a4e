// The interleaved A/B gate's test of one counter: a paired randomization test, also called a side-swap or
// sign-flip test.
//
// Why it holds: repetition i of the two sides was measured back to back, with the order alternating from one
// pair to the next. With no change, the two repetitions of a pair are exchangeable: which one is called
// "baseline" is an arbitrary label. So, given the data, each of the 2^n ways to swap labels within the pairs
// is equally likely, and the observed change is one draw from the changes over all the swaps. A change in
// the top `level` of that distribution is then a false alarm with probability at most `level`. This is exact
// at any number of pairs and for any statistic, including a pooled P99 that a few slow repetitions decide.
// Drift that both repetitions of a pair share stays inside each pair, so it does not widen the distribution.
// The bootstrap that this replaced was not exact there: on the gate's own A/A data it put the pooled P99's
// standard error at 0.28 ms, where the swaps give 0.77 ms (README, "How strong the gate is").
// References: R. A. Fisher, The Design of Experiments (1935), section 21; Lehmann and Romano, Testing Statistical
// Hypotheses, 3rd ed., section 15.2. The draws are random swaps, with the observed labelling counted among them
// (Phipson and Smyth 2010), so that the test stays exact at the level it reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tools/gate/pooled_statistic.h"

namespace voxperf::gate {

struct RandomizationEstimate {
  double baseline = 0.0;   // the statistic over every repetition of the baseline side
  double candidate = 0.0;  // ... and of the candidate side, shifted
  std::size_t pairs = 0;
  std::size_t draws = 0;   // random swaps drawn; 0 where fewer than 2 pairs give nothing to swap
  // candidate - baseline as labelled, computed as each swap's is: a test compares it with the swaps' changes,
  // and the same arithmetic on both sides keeps rounding from deciding (NaN without draws).
  double observed = 0.0;
  // The lower and upper `level` quantiles of candidate - baseline over the swaps: the k-th smallest and the
  // k-th largest of the draws, k = floor(level x (draws + 1)). A change above `high` has a randomization
  // p-value of at most `level`. -inf and +inf where the draws cannot say.
  double low = 0.0, high = 0.0;
};

// How many swaps a test at one-sided `level` draws: enough that about ten of them lie beyond each quantile, so
// that the quantile is read from more than one draw; at least `min_draws`, and at most a million.
std::size_t randomization_draws(double level, std::size_t min_draws);

// Both sides must have the same number of repetitions (pair i: repetition i of each); extra ones are left out.
// `candidate_shift` is added to every candidate request (or per-repetition value) first: 0 tests "no change";
// minus a size s tests "the candidate is worse by s", exactly where the change is a shift of every request.
// `draws` random swaps (randomization_draws), from a generator seeded with `seed`, so that the gate gives the
// same answer every time it reads the same files.
RandomizationEstimate paired_randomization(const Repetitions& baseline, const Repetitions& candidate,
                                           const PooledStatistic& statistic, double candidate_shift, double level,
                                           std::size_t draws, std::uint64_t seed);

// A seed from a text (FNV-1a), stable across runs and builds: the case and counter name.
std::uint64_t seed_of(const std::string& text);

}  // namespace voxperf::gate
