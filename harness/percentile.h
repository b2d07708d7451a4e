// The one percentile rule voxperf uses everywhere.
//
// Rule: linear interpolation between closest ranks (Hyndman & Fan type 7, NumPy's default "linear"):
// for n sorted values x[0..n-1] and p in [0, 100], h = (n - 1) * p / 100 and
//   P(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
// P(0) is the minimum and P(100) the maximum. With n = 1 every percentile is that value; with n = 0 the
// result is NaN ("no data"), which reports print as n/a.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace voxperf {

// Percentile of already sorted values.
double percentile_sorted(std::span<const double> sorted, double p);

// Same rule over n values known only through "the k-th smallest" (a histogram walks its buckets this way).
double percentile_by_rank(std::size_t n, double p, const std::function<double(std::size_t)>& kth_smallest);

}  // namespace voxperf
