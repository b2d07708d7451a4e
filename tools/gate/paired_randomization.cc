#include "tools/gate/paired_randomization.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <utility>

namespace voxperf::gate {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDrawsBeyond = 10.0;
constexpr std::size_t kMaxDraws = 1'000'000;

// The 2n repetitions of both sides, baseline's at 0..n-1 and candidate's at n..2n-1; a swap pattern puts
// one repetition of each pair on each side.
struct Swap {
  std::vector<std::uint8_t> on_candidate;  // per repetition
  explicit Swap(std::size_t n) : on_candidate(2 * n, 0) {
    for (std::size_t i = 0; i < n; ++i) on_candidate[n + i] = 1;  // as labelled
  }
  void draw(std::size_t n, std::mt19937_64& generator) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 64 == 0) bits = generator();
      const std::uint8_t swapped = (bits >> (i % 64)) & 1u;
      on_candidate[i] = swapped;
      on_candidate[n + i] = 1 - swapped;
    }
  }
};

// A mean (of requests, or of per-repetition values) needs only each repetition's sum and count.
struct SwapMean {
  std::vector<double> sums, counts;
  SwapMean(const Repetitions& baseline, const Repetitions& candidate, std::size_t n, double shift,
           PooledStatistic::Kind kind) {
    for (const Repetitions* side : {&baseline, &candidate}) {
      const double moved = side == &candidate ? shift : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (kind == PooledStatistic::Kind::kRepetitionMean) {
          sums.push_back(side->values[i] + moved);
          counts.push_back(1.0);
          continue;
        }
        double sum = 0;
        for (double v : side->samples[i]) sum += v + moved;
        sums.push_back(sum);
        counts.push_back(static_cast<double>(side->samples[i].size()));
      }
    }
  }
  double change(const Swap& swap) const {
    double sum[2] = {0, 0}, count[2] = {0, 0};
    for (std::size_t j = 0; j < sums.size(); ++j) {
      sum[swap.on_candidate[j]] += sums[j];
      count[swap.on_candidate[j]] += counts[j];
    }
    if (count[0] == 0 || count[1] == 0) return kNaN;
    return sum[1] / count[1] - sum[0] / count[0];
  }
};

// A pooled percentile (the harness's type-7 rule) of each side in one walk down the values of all 2n
// repetitions merged in descending order: a side's order statistic at rank r from the top is its r-th value
// met on the way. Only the top `keep` values of each repetition can be met before both sides are done, so
// a P99 walks about 2 % of the samples per draw. Percentiles below 50 are walked from the bottom, as the
// (100 - p)-th percentile of the negated values.
class SwapPercentile {
 public:
  // Pair i: repetition i of each side; every candidate request moved by `shift` first.
  SwapPercentile(const Repetitions& baseline, const Repetitions& candidate, std::size_t n, double shift,
                 double percentile)
      : from_top_(percentile >= 50.0), q_(from_top_ ? percentile : 100.0 - percentile) {
    std::size_t largest_side = 0;  // no side of any swap holds more samples
    for (std::size_t i = 0; i < n; ++i) {
      largest_side += std::max(baseline.samples[i].size(), candidate.samples[i].size());
    }
    // The deepest rank from the top that a side's two order statistics can have, plus one.
    const auto keep = static_cast<std::size_t>(std::ceil(static_cast<double>(largest_side) * (1.0 - q_ / 100.0))) + 2;
    for (const Repetitions* side : {&baseline, &candidate}) {
      const double moved = side == &candidate ? shift : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = sizes_.size();  // this repetition's index among the 2n
        std::vector<double> values = side->samples[i];
        for (double& v : values) v = from_top_ ? v + moved : -(v + moved);
        std::sort(values.begin(), values.end(), std::greater<>());
        for (std::size_t k = 0; k < std::min(keep, values.size()); ++k) merged_.emplace_back(values[k], j);
        sizes_.push_back(values.size());
      }
    }
    std::sort(merged_.begin(), merged_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  }

  double change(const Swap& swap) const {
    Side side[2];
    for (std::size_t j = 0; j < sizes_.size(); ++j) side[swap.on_candidate[j]].size += sizes_[j];
    for (auto& s : side) {
      if (s.size == 0) return kNaN;
      const double h = static_cast<double>(s.size - 1) * q_ / 100.0;
      const auto lo = static_cast<std::size_t>(std::floor(h));
      s.fraction = h - static_cast<double>(lo);
      s.rank = s.size - 1 - lo;  // order statistic lo, counted from the top; lo + 1 is one above it
    }
    for (const auto& [value, repetition] : merged_) {
      Side& s = side[swap.on_candidate[repetition]];
      if (s.met <= s.rank) {
        if (s.met + 1 == s.rank) s.above = value;
        if (s.met == s.rank) s.at = value;
        ++s.met;
      }
      if (side[0].met > side[0].rank && side[1].met > side[1].rank) break;
    }
    const double candidate = side[1].value(), baseline = side[0].value();
    return from_top_ ? candidate - baseline : baseline - candidate;  // negated values: the change's sign flips
  }

 private:
  struct Side {
    std::size_t size = 0, rank = 0, met = 0;
    double fraction = 0, at = kNaN, above = kNaN;
    double value() const { return rank == 0 || fraction == 0.0 ? at : at + fraction * (above - at); }
  };
  bool from_top_;
  double q_;
  std::vector<std::size_t> sizes_;
  std::vector<std::pair<double, std::size_t>> merged_;
};

}  // namespace

std::size_t randomization_draws(double level, std::size_t min_draws) {
  const double wanted = level > 0 ? std::ceil(kDrawsBeyond / level) : static_cast<double>(kMaxDraws);
  return std::min(kMaxDraws, std::max(min_draws, static_cast<std::size_t>(std::min(wanted, 1e9))));
}

RandomizationEstimate paired_randomization(const Repetitions& baseline, const Repetitions& candidate,
                                           const PooledStatistic& statistic, double candidate_shift, double level,
                                           std::size_t draws, std::uint64_t seed) {
  const std::size_t n = std::min(baseline.count(statistic), candidate.count(statistic));
  RandomizationEstimate estimate;
  estimate.pairs = n;
  const std::vector<std::uint32_t> every(n, 1);
  estimate.baseline = pooled_value(baseline, statistic, every);
  estimate.candidate = pooled_value(candidate, statistic, every) + candidate_shift;  // a shift moves the statistic alike
  estimate.low = -kInfinity;
  estimate.high = kInfinity;
  estimate.observed = kNaN;
  if (n < 2 || draws == 0) return estimate;

  const bool percentile = statistic.kind == PooledStatistic::Kind::kPercentile;
  std::optional<SwapPercentile> walk;
  std::optional<SwapMean> mean;
  if (percentile) {
    walk.emplace(baseline, candidate, n, candidate_shift, statistic.percentile);
  } else {
    mean.emplace(baseline, candidate, n, candidate_shift, statistic.kind);
  }
  auto change_of = [&](const Swap& swap) { return percentile ? walk->change(swap) : mean->change(swap); };

  std::vector<double> changes;
  changes.reserve(draws);
  std::mt19937_64 generator(seed);
  Swap swap(n);
  estimate.observed = change_of(swap);
  for (std::size_t draw = 0; draw < draws; ++draw) {
    swap.draw(n, generator);
    const double change = change_of(swap);
    if (std::isfinite(change)) changes.push_back(change);
  }
  estimate.draws = changes.size();
  const auto k = static_cast<std::size_t>(std::floor(level * static_cast<double>(changes.size() + 1)));
  if (k == 0 || k > changes.size()) return estimate;
  const auto kth_smallest = changes.begin() + static_cast<std::ptrdiff_t>(k - 1);
  std::nth_element(changes.begin(), kth_smallest, changes.end());
  estimate.low = *kth_smallest;
  const auto kth_largest = changes.end() - static_cast<std::ptrdiff_t>(k);
  std::nth_element(changes.begin(), kth_largest, changes.end());
  estimate.high = *kth_largest;
  return estimate;
}

std::uint64_t seed_of(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace voxperf::gate
