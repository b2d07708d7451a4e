#include "harness/percentile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace voxperf {
namespace {

// Expected values are NumPy's numpy.percentile(x, p) (method "linear"), computed by hand here:
// h = (n - 1) * p / 100, interpolate between x[floor h] and x[floor h + 1].
TEST(Percentile, MatchesNumpyLinearOnKnownVectors) {
  const std::vector<double> x{15, 20, 35, 40, 50};
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0), 15);
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 40), 29);  // h = 1.6: 20 + 0.6 * 15
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 50), 35);
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 90), 46);  // h = 3.6: 40 + 0.6 * 10
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 100), 50);

  std::vector<double> one_to_ten;
  for (int i = 1; i <= 10; ++i) one_to_ten.push_back(i);
  EXPECT_NEAR(percentile_sorted(one_to_ten, 99), 9.91, 1e-12);
  EXPECT_NEAR(percentile_sorted(one_to_ten, 95), 9.55, 1e-12);
  EXPECT_DOUBLE_EQ(percentile_sorted(one_to_ten, 50), 5.5);
  EXPECT_NEAR(percentile_sorted(one_to_ten, 90), 9.1, 1e-12);
}

TEST(Percentile, SingleValueAndEmpty) {
  const std::vector<double> one{7.5};
  EXPECT_DOUBLE_EQ(percentile_sorted(one, 0), 7.5);
  EXPECT_DOUBLE_EQ(percentile_sorted(one, 99), 7.5);
  EXPECT_TRUE(std::isnan(percentile_sorted(std::vector<double>{}, 50)));
}

TEST(Percentile, RejectsOutOfRange) {
  const std::vector<double> x{1, 2};
  EXPECT_THROW(percentile_sorted(x, -1), std::invalid_argument);
  EXPECT_THROW(percentile_sorted(x, 100.5), std::invalid_argument);
}

}  // namespace
}  // namespace voxperf
