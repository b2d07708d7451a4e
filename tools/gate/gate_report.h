// How the gate shows a comparison: a Markdown table (one row per case and counter) ending with the line
// "N passed, N failed" that CI parsers count, a JUnit XML file (one testcase per case) and a JSON summary.
#pragma once

#include <string>
#include <vector>

#include "tools/gate/verdict.h"

namespace voxperf::gate {

std::string comparison_table(const Comparison& comparison);
std::string comparison_junit(const Comparison& comparison);
std::string comparison_json(const Comparison& comparison);
// A Google Benchmark filter matching exactly the regressed cases, for a confirmation rerun; "" when none.
std::string rerun_filter(const Comparison& comparison);
// A Google Benchmark filter matching exactly these cases; "" when none (A/B: Comparison::more).
std::string cases_filter(const std::vector<std::string>& names);

}  // namespace voxperf::gate
