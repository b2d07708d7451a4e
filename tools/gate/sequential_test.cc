#include "tools/gate/sequential_test.h"

#include <algorithm>
#include <cmath>

namespace voxperf::gate {

double SequentialDesign::level() const {
  return alpha / static_cast<double>(std::max<std::size_t>(tests, 1) * std::max<std::size_t>(max_looks, 1));
}

double SequentialDesign::pass_level() const { return beta / static_cast<double>(std::max<std::size_t>(max_looks, 1)); }

Call sequential_call(const SwapTest& no_change, const SwapTest& at_detect, double floor, double detect,
                     Bounds* bounds) {
  // Each verdict compares a test's observed change with its own quantiles, computed alike; NaN anywhere (no
  // data) makes every comparison false: undecided.
  const double d = no_change.observed;
  if (bounds) *bounds = {d - no_change.high, detect + (at_detect.observed - at_detect.low)};
  if (d > no_change.high && d > floor) return Call::kRegressed;
  if (d < no_change.low && -d > floor) return Call::kImproved;
  if (at_detect.observed < at_detect.low) return Call::kPass;
  return Call::kUndecided;
}

}  // namespace voxperf::gate
