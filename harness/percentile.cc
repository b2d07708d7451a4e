#include "harness/percentile.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace voxperf {

double percentile_by_rank(std::size_t n, double p, const std::function<double(std::size_t)>& kth_smallest) {
  if (!(p >= 0.0 && p <= 100.0)) throw std::invalid_argument("percentile must be within [0, 100]");
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(n - 1) * p / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  const double lo_value = kth_smallest(lo);
  if (frac == 0.0 || lo + 1 >= n) return lo_value;
  return lo_value + frac * (kth_smallest(lo + 1) - lo_value);
}

double percentile_sorted(std::span<const double> sorted, double p) {
  return percentile_by_rank(sorted.size(), p, [&](std::size_t k) { return sorted[k]; });
}

}  // namespace voxperf
