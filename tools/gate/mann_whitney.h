// One-sided Mann-Whitney U test: is the candidate sample stochastically greater than the baseline sample?
// The gate asks it with the samples oriented so that "greater" means "worse" (latencies as they are,
// throughput negated).
#pragma once

#include <span>

namespace voxperf::gate {

struct MannWhitney {
  double u = 0.0;   // U of the candidate: pairs (candidate, baseline) with candidate > baseline, ties counting 1/2
  double p = 1.0;   // P(U >= u) when both samples come from one distribution
  bool exact = false;
};

// Exact p from the distribution of U (every ordering equally likely) when there are no ties and both samples
// have at most 20 values; otherwise the normal approximation with the tie-corrected variance and a
// continuity correction of 1/2 (scipy.stats.mannwhitneyu, alternative="greater", method "exact" or
// "asymptotic"). Either sample empty: p = 1.
MannWhitney mann_whitney_greater(std::span<const double> candidate, std::span<const double> baseline);

}  // namespace voxperf::gate
