#include "tools/gate/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace voxperf::gate {
namespace {

constexpr std::size_t kExactLimit = 20;

// P(U >= u) for samples of m and n values, no ties: counts of the orderings with each U, built up one value
// at a time (the number of arrangements of m and n values with U = k satisfies
// c(m, n, k) = c(m - 1, n, k - n) + c(m, n - 1, k)), divided by C(m + n, m). Doubles hold these counts
// exactly: C(40, 20) is about 1.4e11.
double exact_upper_tail(std::size_t m, std::size_t n, double u) {
  // counts[j][k]: orderings of i candidate values and j baseline values with U = k, for the current i.
  const std::size_t max_u = m * n;
  std::vector<std::vector<double>> counts(n + 1, std::vector<double>(max_u + 1, 0.0));
  for (std::size_t j = 0; j <= n; ++j) counts[j][0] = 1.0;  // i = 0: U is 0
  for (std::size_t i = 1; i <= m; ++i) {
    std::vector<std::vector<double>> next(n + 1, std::vector<double>(max_u + 1, 0.0));
    next[0][0] = 1.0;  // j = 0: U is 0
    for (std::size_t j = 1; j <= n; ++j) {
      for (std::size_t k = 0; k <= i * j; ++k) {
        // The largest of the i + j values is a candidate value (it beats all j baseline values) or a baseline one.
        next[j][k] = (k >= j ? counts[j][k - j] : 0.0) + next[j - 1][k];
      }
    }
    counts = std::move(next);
  }
  double total = 0.0, tail = 0.0;
  for (std::size_t k = 0; k <= max_u; ++k) {
    total += counts[n][k];
    if (static_cast<double>(k) >= u - 1e-9) tail += counts[n][k];
  }
  return tail / total;
}

}  // namespace

MannWhitney mann_whitney_greater(std::span<const double> candidate, std::span<const double> baseline) {
  MannWhitney result;
  const std::size_t m = candidate.size(), n = baseline.size();
  if (m == 0 || n == 0) return result;

  // Ranks over the pooled sample, ties given their mean rank; tie group sizes kept for the variance.
  struct Value {
    double x;
    bool from_candidate;
  };
  std::vector<Value> pooled;
  pooled.reserve(m + n);
  for (double x : candidate) pooled.push_back({x, true});
  for (double x : baseline) pooled.push_back({x, false});
  std::sort(pooled.begin(), pooled.end(), [](const Value& a, const Value& b) { return a.x < b.x; });
  double candidate_rank_sum = 0.0, tie_term = 0.0;
  bool ties = false;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].x == pooled[i].x) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].from_candidate) candidate_rank_sum += mean_rank;
    }
    const double t = static_cast<double>(j - i);
    if (j - i > 1) ties = true;
    tie_term += t * t * t - t;
    i = j;
  }
  const double dm = static_cast<double>(m), dn = static_cast<double>(n);
  result.u = candidate_rank_sum - dm * (dm + 1.0) / 2.0;

  if (!ties && m <= kExactLimit && n <= kExactLimit) {
    result.exact = true;
    result.p = exact_upper_tail(m, n, result.u);
    return result;
  }
  const double total = dm + dn;
  const double variance = dm * dn / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)));
  if (variance <= 0.0) return result;  // every value equal: no evidence either way
  const double z = (result.u - dm * dn / 2.0 - 0.5) / std::sqrt(variance);
  result.p = 0.5 * std::erfc(z / std::sqrt(2.0));
  return result;
}

}  // namespace voxperf::gate
