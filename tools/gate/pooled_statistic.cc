#include "tools/gate/pooled_statistic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>

namespace voxperf::gate {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The type-7 percentile (harness/percentile.h) of the union of sorted repetitions, repetition i counted
// weights[i] times. Only the values that can be the two order statistics around the percentile are pooled:
// for p >= 50 the k largest of each repetition, k the rank from the top, so a P99 pools 1 % of the samples.
double percentile_of_union(const std::vector<std::vector<double>>& sorted, const std::vector<std::uint32_t>& weights,
                           double p) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) n += weights[i] * sorted[i].size();
  if (n == 0) return kNaN;
  const double h = static_cast<double>(n - 1) * p / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double fraction = h - static_cast<double>(lo);
  const bool from_top = p >= 50.0;
  // Rank of order statistic `lo` counted from the end we pool from (0-based), and how many values to pool.
  const std::size_t rank = from_top ? n - 1 - lo : lo;
  const std::size_t keep = from_top ? rank + 1 : rank + 2;  // from the bottom, lo + 1 is one further in
  std::vector<double> pool;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == 0) continue;
    const auto& values = sorted[i];
    const std::size_t take = std::min(keep, values.size());
    const auto first = from_top ? values.end() - static_cast<std::ptrdiff_t>(take) : values.begin();
    for (std::uint32_t k = 0; k < weights[i]; ++k) pool.insert(pool.end(), first, first + static_cast<std::ptrdiff_t>(take));
  }
  // Order the pool from the end pooled: the rank-th is order statistic lo, its neighbour toward the other
  // end (rank - 1 from the top, rank + 1 from the bottom) is lo + 1.
  auto before = [from_top](double a, double b) { return from_top ? a > b : a < b; };
  const auto at = pool.begin() + static_cast<std::ptrdiff_t>(rank);
  std::nth_element(pool.begin(), at, pool.end(), before);
  const double low = *at;
  if (fraction == 0.0 || lo + 1 >= n) return low;
  const double high = from_top ? *std::min_element(pool.begin(), at)  // the smallest of those above it
                                : *std::min_element(at + 1, pool.end());
  return low + fraction * (high - low);
}

std::vector<std::vector<double>> sorted_copy(const std::vector<std::vector<double>>& samples) {
  auto out = samples;
  for (auto& repetition : out) std::sort(repetition.begin(), repetition.end());
  return out;
}

}  // namespace

PooledStatistic pooled_statistic(const std::string& counter) {
  static const std::regex per_request(R"(^(.+)_(mean|p([0-9]+(\.[0-9]+)?))_ms$)");
  std::smatch match;
  PooledStatistic statistic;
  if (!std::regex_match(counter, match, per_request)) return statistic;
  statistic.family = match[1];
  if (match[2] == "mean") {
    statistic.kind = PooledStatistic::Kind::kMean;
  } else {
    statistic.kind = PooledStatistic::Kind::kPercentile;
    statistic.percentile = std::stod(match[3]);
  }
  return statistic;
}

std::size_t Repetitions::count(const PooledStatistic& statistic) const {
  return statistic.kind == PooledStatistic::Kind::kRepetitionMean ? values.size() : samples.size();
}

double pooled_value(const Repetitions& side, const PooledStatistic& statistic, const std::vector<std::uint32_t>& weights) {
  using Kind = PooledStatistic::Kind;
  double sum = 0.0, n = 0.0;
  switch (statistic.kind) {
    case Kind::kRepetitionMean:
      for (std::size_t i = 0; i < weights.size(); ++i) {
        sum += weights[i] * side.values[i];
        n += weights[i];
      }
      return n > 0 ? sum / n : kNaN;
    case Kind::kMean:
      for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] == 0) continue;
        double repetition_sum = 0.0;
        for (double v : side.samples[i]) repetition_sum += v;
        sum += weights[i] * repetition_sum;
        n += static_cast<double>(weights[i]) * static_cast<double>(side.samples[i].size());
      }
      return n > 0 ? sum / n : kNaN;
    case Kind::kPercentile: return percentile_of_union(sorted_copy(side.samples), weights, statistic.percentile);
  }
  return kNaN;
}

}  // namespace voxperf::gate
