// Latency against concurrency for one table of the report (pipeline/model/profile/mode), as an SVG line
// chart: mean and P99 latency, and the lines the pipeline adds (TTS: mean and P99 time to first audio). Concurrency is on a log2 axis,
// since sweeps double it. For people who would rather look than read.
#pragma once

#include <string>
#include <vector>

#include "perf_tests/result_table.h"

namespace voxperf::bench {

std::string latency_plot_svg(const std::string& title, const std::vector<ResultTable::Row>& rows);

}  // namespace voxperf::bench
