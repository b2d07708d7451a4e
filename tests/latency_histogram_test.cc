#include "harness/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "harness/percentile.h"

namespace voxperf {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(LatencyHistogram, EmptyReportsNaN) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_TRUE(std::isnan(h.percentile_ms(50)));
  EXPECT_TRUE(std::isnan(h.mean_ms()));
  EXPECT_TRUE(std::isnan(h.max_ms()));
}

TEST(LatencyHistogram, SmallWindowIsExact) {
  LatencyHistogram h;
  for (int ms : {50, 15, 40, 20, 35}) h.record(milliseconds(ms));
  EXPECT_TRUE(h.exact());
  EXPECT_DOUBLE_EQ(h.percentile_ms(40), 29.0);
  EXPECT_DOUBLE_EQ(h.percentile_ms(90), 46.0);
  EXPECT_DOUBLE_EQ(h.min_ms(), 15.0);
  EXPECT_DOUBLE_EQ(h.max_ms(), 50.0);
  EXPECT_DOUBLE_EQ(h.mean_ms(), 32.0);
  // Sample standard deviation of {15,20,35,40,50}: squared deviations from 32 sum to 830, so sqrt(830 / 4).
  EXPECT_NEAR(h.stddev_ms(), std::sqrt(830.0 / 4.0), 1e-9);
}

TEST(LatencyHistogram, NegativeDurationsCountAsZero) {
  LatencyHistogram h;
  h.record(Nanos(-5));
  EXPECT_DOUBLE_EQ(h.max_ms(), 0.0);
}

TEST(LatencyHistogram, MergeEqualsUnion) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(10.0, 1.5);  // ns, wide range
  LatencyHistogram a, b, all;
  for (int i = 0; i < 3000; ++i) {
    const Nanos v(static_cast<Nanos::rep>(dist(rng)));
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double p : {0.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) EXPECT_DOUBLE_EQ(a.percentile_ms(p), all.percentile_ms(p));
  EXPECT_NEAR(a.mean_ms(), all.mean_ms(), 1e-9 * all.mean_ms());
  EXPECT_NEAR(a.stddev_ms(), all.stddev_ms(), 1e-9 * all.stddev_ms());
  EXPECT_DOUBLE_EQ(a.min_ms(), all.min_ms());
  EXPECT_DOUBLE_EQ(a.max_ms(), all.max_ms());
}

TEST(LatencyHistogram, LargeWindowStaysWithinDocumentedPrecision) {
  // Past the exact limit the buckets take over: every percentile must be within the relative precision of
  // the exact answer computed here with the same rule.
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(std::log(20e6), 0.8);  // around 20 ms
  const std::size_t n = LatencyHistogram::kExactLimit + 50'000;
  std::vector<double> exact;
  exact.reserve(n);
  LatencyHistogram h;
  for (std::size_t i = 0; i < n; ++i) {
    const auto ns = static_cast<Nanos::rep>(dist(rng));
    h.record(Nanos(ns));
    exact.push_back(static_cast<double>(ns) / 1e6);
  }
  ASSERT_FALSE(h.exact());
  std::sort(exact.begin(), exact.end());
  for (double p : {1.0, 25.0, 50.0, 90.0, 99.0, 99.9}) {
    const double want = percentile_sorted(exact, p);
    EXPECT_NEAR(h.percentile_ms(p), want, want * LatencyHistogram::kRelativePrecision) << "p" << p;
  }
  EXPECT_DOUBLE_EQ(h.percentile_ms(0), exact.front());
  EXPECT_DOUBLE_EQ(h.percentile_ms(100), exact.back());
}

TEST(LatencyHistogram, MergeAcrossTheExactLimitUsesBuckets) {
  LatencyHistogram a, b;
  for (std::size_t i = 0; i < LatencyHistogram::kExactLimit; ++i) a.record(microseconds(100 + i % 1000));
  for (int i = 0; i < 10; ++i) b.record(milliseconds(1));
  a.merge(b);
  EXPECT_FALSE(a.exact());
  EXPECT_EQ(a.count(), LatencyHistogram::kExactLimit + 10);
  EXPECT_NEAR(a.percentile_ms(50), 0.6, 0.6 * LatencyHistogram::kRelativePrecision + 0.001);
  EXPECT_DOUBLE_EQ(a.max_ms(), 1.099);  // the largest of a's values (100 + 999 us); b's are 1 ms
}

}  // namespace
}  // namespace voxperf
