#include "tools/gate/sequential_test.h"

#include <algorithm>
#include <cmath>

namespace voxperf::gate {

double SequentialDesign::level() const {
  return alpha / static_cast<double>(std::max<std::size_t>(tests, 1) * std::max<std::size_t>(max_looks, 1));
}

Call sequential_call(double worse_by, ChanceRange chance, double floor, double detect, Bounds* bounds) {
  // NaN anywhere (no data) leaves both comparisons false below: undecided.
  const double lower = worse_by - chance.high, upper = worse_by - chance.low_at_detect;
  if (bounds) *bounds = {lower, upper};
  if (lower > 0 && worse_by > floor) return Call::kRegressed;
  if (worse_by < chance.low && -worse_by > floor) return Call::kImproved;
  if (upper < detect) return Call::kPass;
  return Call::kUndecided;
}

}  // namespace voxperf::gate
