// perf_analyzer's stability rule on hand-made window vectors (its own tests do the same with LoadStatus).
#include <gtest/gtest.h>

#include <cmath>

#include "harness/stability.h"
#include "harness/window_metrics.h"

namespace voxperf {
namespace {

StabilityRule rule(double percent, std::size_t max_windows = 10, std::optional<double> threshold = std::nullopt) {
  StabilityRule r;
  r.percent = percent;
  r.max_windows = max_windows;
  r.latency_threshold_ms = threshold;
  return r;
}

TEST(Stability, NeedsThreeWindowsThatAgreeOnThroughputAndLatency) {
  const auto r = rule(10);
  EXPECT_EQ(judge_level({{100, 20}}, r), LevelState::kMeasuring);
  EXPECT_EQ(judge_level({{100, 20}, {101, 20}}, r), LevelState::kMeasuring);
  EXPECT_EQ(judge_level({{100, 20}, {101, 20}, {109, 21.9}}, r), LevelState::kStable);  // max/min 1.09, 1.095
  // Throughput 15 % apart: not stable, although latency agrees.
  EXPECT_EQ(judge_level({{100, 20}, {115, 20}, {105, 20}}, r), LevelState::kMeasuring);
  // Latency 15 % apart: not stable, although throughput agrees.
  EXPECT_EQ(judge_level({{100, 20}, {100, 23}, {100, 21}}, r), LevelState::kMeasuring);
  // Only the last 3 count: an early outlier does not hold a level back.
  EXPECT_EQ(judge_level({{10, 900}, {100, 20}, {101, 20}, {100, 20.5}}, r), LevelState::kStable);
}

TEST(Stability, AWindowWithNothingCompletedIsNeverStable) {
  EXPECT_EQ(judge_level({{0, NAN}, {0, NAN}, {0, NAN}}, rule(1000)), LevelState::kMeasuring);
  EXPECT_EQ(judge_level({{100, 20}, {0, NAN}, {100, 20}}, rule(1000, 3)), LevelState::kUnstable);
}

TEST(Stability, GivesUpAfterMaxWindows) {
  std::vector<WindowSummary> windows = {{100, 20}, {150, 20}, {100, 20}, {150, 20}};
  EXPECT_EQ(judge_level(windows, rule(10, 5)), LevelState::kMeasuring);
  windows.push_back({100, 20});
  EXPECT_EQ(judge_level(windows, rule(10, 5)), LevelState::kUnstable);
  const auto [throughput, latency] = window_spread_percent(windows);
  EXPECT_DOUBLE_EQ(throughput, 50.0);
  EXPECT_DOUBLE_EQ(latency, 0.0);
}

TEST(Stability, ThresholdStopsTheLevelInAnyOfTheLastThreeWindows) {
  const auto r = rule(10, 10, 100.0);
  EXPECT_EQ(judge_level({{100, 120}}, r), LevelState::kOverThreshold);  // no need to wait for stability
  EXPECT_EQ(judge_level({{100, 100}}, r), LevelState::kOverThreshold);  // reaching it is enough
  EXPECT_EQ(judge_level({{100, 99}, {100, 99}, {100, 99}}, r), LevelState::kStable);
  // Without stability asked for: one window, then the threshold alone decides.
  StabilityRule once;
  once.latency_threshold_ms = 50.0;
  EXPECT_EQ(judge_level({{100, 49}}, once), LevelState::kStable);
  EXPECT_EQ(judge_level({{100, 51}}, once), LevelState::kOverThreshold);
  EXPECT_EQ(judge_level({{100, 5000}}, StabilityRule{}), LevelState::kStable);
}

TEST(Stability, MergedWindowsCountTheirDurationsNotTheGapsBetween) {
  const TimePoint t0{};
  const std::vector<Window> windows = {{t0, t0 + std::chrono::seconds(2), LoadModel::kClosedLoop},
                                       {t0 + std::chrono::seconds(3), t0 + std::chrono::seconds(5), LoadModel::kClosedLoop},
                                       {t0 + std::chrono::seconds(6), t0 + std::chrono::seconds(7), LoadModel::kClosedLoop}};
  const Window merged = merged_window(windows);
  EXPECT_EQ(merged.start, t0);
  EXPECT_DOUBLE_EQ(merged.seconds(), 5.0);
}

}  // namespace
}  // namespace voxperf
