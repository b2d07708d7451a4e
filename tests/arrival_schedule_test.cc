#include "harness/arrival_schedule.h"

#include <gtest/gtest.h>

#include <numeric>

namespace voxperf {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ArrivalSchedule, ConstantRateIsEvenlySpaced) {
  const auto offsets = arrival_offsets(ArrivalProcess::kConstant, 4.0, 5, Nanos::zero(), 1);
  ASSERT_EQ(offsets.size(), 5u);
  for (std::size_t k = 0; k < offsets.size(); ++k) EXPECT_EQ(offsets[k], milliseconds(250 * k));
}

TEST(ArrivalSchedule, DurationBoundsTheCount) {
  const auto offsets = arrival_offsets(ArrivalProcess::kConstant, 10.0, 0, seconds(2), 1);
  EXPECT_EQ(offsets.size(), 20u);  // 0.0 .. 1.9 s; 2.0 s is past the window
  EXPECT_EQ(offsets.back(), milliseconds(1900));
}

TEST(ArrivalSchedule, PoissonIsSeededIncreasingAndHasTheRequestedRate) {
  const double rate = 50.0;
  const auto a = arrival_offsets(ArrivalProcess::kPoisson, rate, 20'000, Nanos::zero(), 99);
  const auto b = arrival_offsets(ArrivalProcess::kPoisson, rate, 20'000, Nanos::zero(), 99);
  const auto c = arrival_offsets(ArrivalProcess::kPoisson, rate, 20'000, Nanos::zero(), 100);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a.front(), Nanos::zero());
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  // Mean gap 1/rate = 20 ms; with 20,000 exponential gaps its standard error is 20 ms / sqrt(20,000) = 0.14 ms,
  // so 1 ms is a seven-sigma bound (and the seed makes it fixed anyway).
  const double mean_gap_ms = std::chrono::duration<double, std::milli>(a.back()).count() / static_cast<double>(a.size() - 1);
  EXPECT_NEAR(mean_gap_ms, 20.0, 1.0);
  // Exponential gaps: about e^-1 = 36.8 % of them exceed the mean.
  std::size_t above = 0;
  for (std::size_t k = 1; k < a.size(); ++k) above += (a[k] - a[k - 1]) > milliseconds(20);
  EXPECT_NEAR(static_cast<double>(above) / static_cast<double>(a.size() - 1), 0.368, 0.02);
}

TEST(ArrivalSchedule, RejectsBadArguments) {
  EXPECT_THROW(arrival_offsets(ArrivalProcess::kConstant, 0.0, 5, Nanos::zero(), 1), std::invalid_argument);
  EXPECT_THROW(arrival_offsets(ArrivalProcess::kPoisson, -1.0, 5, Nanos::zero(), 1), std::invalid_argument);
  EXPECT_THROW(arrival_offsets(ArrivalProcess::kConstant, 1.0, 0, Nanos::zero(), 1), std::invalid_argument);
}

}  // namespace
}  // namespace voxperf
