#include "harness/stability.h"

#include <algorithm>
#include <cmath>

namespace voxperf {
namespace {

// max/min over the last k windows of one figure; infinite when a value is zero, NaN or negative.
double ratio(const std::vector<WindowSummary>& windows, std::size_t k, double WindowSummary::*figure) {
  double low = INFINITY, high = 0.0;
  for (std::size_t i = windows.size() - k; i < windows.size(); ++i) {
    const double v = windows[i].*figure;
    if (!(v > 0.0)) return INFINITY;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  return high / low;
}

}  // namespace

LevelState judge_level(const std::vector<WindowSummary>& windows, const StabilityRule& rule) {
  if (windows.empty()) return LevelState::kMeasuring;
  if (rule.latency_threshold_ms) {
    const std::size_t k = std::min(windows.size(), StabilityRule::kStabilityWindows);
    for (std::size_t i = windows.size() - k; i < windows.size(); ++i) {
      if (windows[i].latency_ms >= *rule.latency_threshold_ms) return LevelState::kOverThreshold;
    }
  }
  if (!rule.percent) return LevelState::kStable;
  if (windows.size() >= StabilityRule::kStabilityWindows) {
    const double limit = 1.0 + *rule.percent / 100.0;
    const std::size_t k = StabilityRule::kStabilityWindows;
    if (ratio(windows, k, &WindowSummary::throughput) <= limit && ratio(windows, k, &WindowSummary::latency_ms) <= limit) {
      return LevelState::kStable;
    }
  }
  return windows.size() >= rule.max_windows ? LevelState::kUnstable : LevelState::kMeasuring;
}

std::pair<double, double> window_spread_percent(const std::vector<WindowSummary>& windows) {
  const std::size_t k = std::min(windows.size(), StabilityRule::kStabilityWindows);
  if (k == 0) return {NAN, NAN};
  return {100.0 * (ratio(windows, k, &WindowSummary::throughput) - 1.0),
          100.0 * (ratio(windows, k, &WindowSummary::latency_ms) - 1.0)};
}

const char* level_state_name(LevelState state) {
  switch (state) {
    case LevelState::kMeasuring: return "measuring";
    case LevelState::kStable: return "stable";
    case LevelState::kUnstable: return "unstable";
    case LevelState::kOverThreshold: return "over latency threshold";
  }
  return "?";
}

}  // namespace voxperf
