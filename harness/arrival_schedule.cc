#include "harness/arrival_schedule.h"

#include <cmath>
#include <random>
#include <stdexcept>

namespace voxperf {

std::vector<Nanos> arrival_offsets(ArrivalProcess process, double rate, std::size_t max_count, Nanos max_duration,
                                   std::uint64_t seed) {
  if (!(rate > 0.0) || !std::isfinite(rate)) throw std::invalid_argument("arrival rate must be a positive number");
  if (max_count == 0 && max_duration <= Nanos::zero()) {
    throw std::invalid_argument("an open-loop schedule needs a request count or a duration");
  }
  std::mt19937_64 generator(seed);
  std::exponential_distribution<double> gap(rate);
  std::vector<Nanos> offsets;
  double t = 0.0;  // seconds; accumulated in double so constant gaps do not drift by rounding
  for (std::size_t k = 0; max_count == 0 || k < max_count; ++k) {
    if (process == ArrivalProcess::kConstant) t = static_cast<double>(k) / rate;
    const Nanos offset{static_cast<Nanos::rep>(std::llround(t * 1e9))};
    if (max_duration > Nanos::zero() && offset >= max_duration) break;
    offsets.push_back(offset);
    if (process == ArrivalProcess::kPoisson) t += gap(generator);
  }
  return offsets;
}

}  // namespace voxperf
