// Open-loop arrival times: offsets from the start of the window at which requests are due, whatever the
// server is doing. Pure and seeded, so a schedule can be checked exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/clock.h"

namespace voxperf {

enum class ArrivalProcess {
  kConstant,  // one request every 1/rate seconds
  kPoisson,   // exponential gaps with mean 1/rate (a Poisson process), from a seeded generator
};

// Offsets of the arrivals, first one at 0, until `max_count` arrivals (0: no count limit) or an offset at or past
// `max_duration` (zero: no time limit); at least one limit must be set. Throws std::invalid_argument on a rate <= 0.
std::vector<Nanos> arrival_offsets(ArrivalProcess process, double rate, std::size_t max_count, Nanos max_duration,
                                   std::uint64_t seed);

}  // namespace voxperf
