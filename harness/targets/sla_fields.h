// The bounds of an SLA as files write them, in a targets file's "sla" and a capacity scenario's:
// {"ttfb_p95_ms": 2000, "throughput_rps": {"min": 5}}: a number is an upper bound, {"max": X} too, {"min": X}
// a lower one. Which counters exist is the reader's business (a targets file checks its pipeline's).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "harness/sla.h"

namespace voxperf {

// Throws InputError "FILE: PATH.COUNTER: ..." for a bound that is neither a number nor {"min"|"max": X}.
std::vector<SlaBound> read_sla_bounds(const nlohmann::json& value, const std::string& path,
                                      const std::filesystem::path& file);

}  // namespace voxperf
