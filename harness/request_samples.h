// The per-request samples of a window, by family ("latency", "ttfa", "ttft" ...), as voxperf_bench writes
// them beside an A/B run's results for the gate's pooled comparisons (tools/gate/paired_bootstrap.h): a
// counter "<family>_mean_ms" or "<family>_p<P>_ms" is that statistic of these samples.
//
// The file: R.samples.jsonl beside --benchmark_out=R.json, one JSON line per measured level and side,
//   {"case": "TTS/espeak-ng/bs8/batch/c:1", "side": "" | "baseline.", "samples": {"latency": [ms, ...], ...}}
// in the order measured, so that a case's k-th line of a side is its k-th repetition.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/window_metrics.h"

namespace voxperf {

inline std::filesystem::path samples_path_for(std::filesystem::path results) {
  return results.replace_extension(".samples.jsonl");
}

// The window's non-empty per-request histograms with their family names.
std::vector<std::pair<std::string, const LatencyHistogram*>> sample_families(const WindowMetrics& metrics);

}  // namespace voxperf
