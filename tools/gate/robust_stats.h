// Median and median absolute deviation: the gate's centre and spread, robust to the odd slow repetition.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace voxperf::gate {

inline double median(std::vector<double> values) {
  if (values.empty()) return std::nan("");
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2.0;
}

// Scaled so that, for normal data, it estimates the standard deviation (1.4826 = 1 / Phi^-1(3/4)).
inline double scaled_mad(const std::vector<double>& values) {
  if (values.empty()) return std::nan("");
  const double centre = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::abs(v - centre));
  return 1.4826 * median(std::move(deviations));
}

}  // namespace voxperf::gate
