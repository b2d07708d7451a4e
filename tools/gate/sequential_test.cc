#include "tools/gate/sequential_test.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tools/gate/student_t.h"

namespace voxperf::gate {

double SequentialDesign::level() const {
  return alpha / static_cast<double>(std::max<std::size_t>(tests, 1) * std::max<std::size_t>(max_looks, 1));
}

double SequentialDesign::critical_value(std::size_t pairs) const {
  if (pairs < 2) return std::numeric_limits<double>::infinity();
  return student_t_quantile(1.0 - level(), static_cast<double>(pairs - 1));
}

Call sequential_call(double worse_by, double standard_error, double critical, double floor, double detect,
                     Bounds* bounds) {
  const double spread = std::isfinite(standard_error) && std::isfinite(critical)
                            ? critical * standard_error
                            : std::numeric_limits<double>::infinity();
  const double lower = worse_by - spread, upper = worse_by + spread;
  if (bounds) *bounds = {lower, upper};
  if (lower > 0 && worse_by > floor) return Call::kRegressed;
  if (upper < 0 && -worse_by > floor) return Call::kImproved;
  if (upper < detect) return Call::kPass;
  return Call::kUndecided;
}

}  // namespace voxperf::gate
