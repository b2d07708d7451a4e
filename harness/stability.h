// perf_analyzer's measurement rule for one load level (../shared/facts/perf-analyzer.md, "Stability rule"):
// windows are measured one after another until the last 3 agree, within `percent`, on throughput and on mean
// latency (max/min <= 1 + percent/100, none with zero throughput), or until `max_windows`; a level whose
// latency reaches `latency_threshold_ms` in any of the last 3 windows ends the sweep. Pure: it judges
// window summaries, so it is tested on hand-made vectors.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace voxperf {

struct WindowSummary {
  double throughput = 0.0;  // completed requests / s
  double latency_ms = 0.0;  // the stabilising latency: the mean (NaN when nothing completed)
};

struct StabilityRule {
  std::optional<double> percent;  // unset: one window per level, no stability check
  std::size_t max_windows = 10;
  std::optional<double> latency_threshold_ms;
  static constexpr std::size_t kStabilityWindows = 3;  // hard-coded in perf_analyzer too
};

enum class LevelState {
  kMeasuring,        // measure another window
  kStable,           // the last 3 windows agree (or: one window, no stability asked for)
  kUnstable,         // max_windows measured and the last 3 still disagree
  kOverThreshold,    // latency at or over latency_threshold_ms: report this level, stop the sweep
};

LevelState judge_level(const std::vector<WindowSummary>& windows, const StabilityRule& rule);

// How far apart the last 3 windows are, in percent (max/min - 1), for messages: throughput, latency.
std::pair<double, double> window_spread_percent(const std::vector<WindowSummary>& windows);

const char* level_state_name(LevelState state);  // "stable", "unstable", "over latency threshold", "measuring"

}  // namespace voxperf
