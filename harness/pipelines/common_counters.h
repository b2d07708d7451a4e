// What every case reports, whatever its pipeline: requests, errors, latency, throughput, schedule lag.
// A pipeline's own counters (Pipeline::counters) come after these.
#pragma once

#include <string>
#include <vector>

#include "harness/pipelines/pipeline.h"

namespace voxperf {

std::vector<CounterSpec> common_counters();

// A table cell: the value with `decimals` decimals, "n/a" for NaN.
std::string number_cell(double value, int decimals);

// Columns several pipelines' tables share.
ColumnSpec latency_mean_column();
ColumnSpec latency_percentile_column(int percentile);  // "P90 (ms)"
ColumnSpec throughput_column();
ColumnSpec rtfx_column();
ColumnSpec wer_column();    // "4.30%", or "n/a" without references
ColumnSpec stable_column();  // "yes (3 windows)", "NO (10 windows)", "over threshold", or "n/a" (not asked for)

}  // namespace voxperf
