// The interleaved A/B gate's statistics on synthetic samples with known distributions (fixed seeds, so every
// run sees the same samples): the pooled statistics, the randomization test against an exact enumeration and
// a closed form, and the false-alarm and power claims of the sequential rule (tools/gate/sequential_test.h)
// over a grid of effect sizes, sample counts and repetition noise, each checked against the claim with a
// binomial bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "harness/percentile.h"
#include "tools/gate/paired_randomization.h"
#include "tools/gate/sequential_test.h"

namespace voxperf::gate {
namespace {

TEST(PooledStatistic, ReadFromTheCounterName) {
  auto p99 = pooled_statistic("latency_p99_ms");
  EXPECT_EQ(p99.kind, PooledStatistic::Kind::kPercentile);
  EXPECT_EQ(p99.family, "latency");
  EXPECT_DOUBLE_EQ(p99.percentile, 99);
  auto tail = pooled_statistic("server_tail_p95_ms");
  EXPECT_EQ(tail.family, "server_tail");
  EXPECT_DOUBLE_EQ(tail.percentile, 95);
  auto mean = pooled_statistic("ttfa_mean_ms");
  EXPECT_EQ(mean.kind, PooledStatistic::Kind::kMean);
  EXPECT_EQ(mean.family, "ttfa");
  EXPECT_EQ(pooled_statistic("throughput_rps").kind, PooledStatistic::Kind::kRepetitionMean);
  EXPECT_EQ(pooled_statistic("rtf_mean").kind, PooledStatistic::Kind::kRepetitionMean);
}

TEST(PooledStatistic, IsTheHarnessFigureOfTheUnionWithMultiplicities) {
  Repetitions side;
  side.samples = {{5, 1, 9}, {2, 8}, {7}};
  std::vector<double> union_sorted = {5, 1, 9, 5, 1, 9, 7};  // repetition 0 twice, 1 never, 2 once
  std::sort(union_sorted.begin(), union_sorted.end());
  for (double p : {0.0, 10.0, 25.0, 49.0, 50.0, 75.0, 90.0, 99.0, 100.0}) {
    EXPECT_DOUBLE_EQ(pooled_value(side, {PooledStatistic::Kind::kPercentile, p, "latency"}, {2, 0, 1}),
                     percentile_sorted(union_sorted, p))
        << p;
  }
  EXPECT_DOUBLE_EQ(pooled_value(side, {PooledStatistic::Kind::kMean, 0, "latency"}, {2, 0, 1}), 37.0 / 7.0);
  // Many repetitions of many values, with random multiplicities: the same as sorting the union.
  std::mt19937_64 generator(3);
  Repetitions big;
  for (int i = 0; i < 12; ++i) {
    std::vector<double> values;
    for (int k = 0; k < 37 + 5 * i; ++k) values.push_back(static_cast<double>(generator() % 1000) / 7.0);
    big.samples.push_back(std::move(values));
  }
  for (int draw = 0; draw < 50; ++draw) {
    std::vector<std::uint32_t> weights(12, 0);
    for (int k = 0; k < 12; ++k) ++weights[generator() % 12];
    std::vector<double> pooled;
    for (std::size_t i = 0; i < 12; ++i) {
      for (std::uint32_t w = 0; w < weights[i]; ++w) pooled.insert(pooled.end(), big.samples[i].begin(), big.samples[i].end());
    }
    std::sort(pooled.begin(), pooled.end());
    for (double p : {1.0, 37.5, 50.0, 95.0, 99.0, 99.9}) {
      ASSERT_DOUBLE_EQ(pooled_value(big, {PooledStatistic::Kind::kPercentile, p, "latency"}, weights),
                       percentile_sorted(pooled, p))
          << "draw " << draw << " p " << p;
    }
  }
  Repetitions values;
  values.values = {10, 20, 40};
  EXPECT_DOUBLE_EQ(pooled_value(values, {}, {1, 1, 2}), 110.0 / 4.0);
}

// A side of `reps` repetitions of `per_rep` requests: lognormal latencies around `median_ms` (sigma 0.3),
// each repetition slowed by a machine factor (drift shared by pair i, plus noise of its own), and a fixed
// delay added to every request: what tools/gate-power plants (--inject-fault first-delay-ms).
struct SyntheticRun {
  std::mt19937_64 generator;
  double drift_sigma = 0.05, repetition_sigma = 0.02;
  explicit SyntheticRun(std::uint64_t seed) : generator(seed) {}

  std::pair<Repetitions, Repetitions> sides(std::size_t reps, std::size_t per_rep, double delay_ms) {
    std::normal_distribution<double> normal(0.0, 1.0);
    Repetitions baseline, candidate;
    for (std::size_t i = 0; i < reps; ++i) {
      const double drift = std::exp(drift_sigma * normal(generator));
      for (auto* side : {&baseline, &candidate}) {
        const double machine = drift * std::exp(repetition_sigma * normal(generator));
        std::vector<double> samples;
        for (std::size_t k = 0; k < per_rep; ++k) {
          samples.push_back(machine * 6.0 * std::exp(0.3 * normal(generator)) + (side == &candidate ? delay_ms : 0.0));
        }
        side->samples.push_back(std::move(samples));
      }
    }
    return {baseline, candidate};
  }
};

// P(X >= k) for X ~ Binomial(n, p).
double binomial_upper_tail(std::size_t k, std::size_t n, double p) {
  double term = std::pow(1.0 - p, static_cast<double>(n)), below = 0.0;  // P(X = 0)
  for (std::size_t i = 0; i < k; ++i) {
    below += term;
    term *= static_cast<double>(n - i) / static_cast<double>(i + 1) * p / (1.0 - p);
  }
  return std::max(0.0, 1.0 - below);
}

// The pooled latency of SyntheticRun is lognormal(log 6, s), s^2 = 0.3^2 + drift^2 + repetition^2 (the
// request, pair and repetition factors multiply); planted delays are sized from its P99 and mean, so that
// "+10 %" is 10 % of the statistic the gate pools, whatever the repetition noise.
double synthetic_value(bool tail, double drift_sigma, double repetition_sigma) {
  const double variance = 0.3 * 0.3 + drift_sigma * drift_sigma + repetition_sigma * repetition_sigma;
  return tail ? 6.0 * std::exp(2.326348 * std::sqrt(variance)) : 6.0 * std::exp(variance / 2.0);
}

struct Trial {
  Call call;
  std::size_t pairs;
};

// One gate: looks after every `per_look` pairs, up to `looks`, stopping at the first decided look.
Trial sequential_trial(SyntheticRun& run, const PooledStatistic& statistic, std::size_t per_look,
                       std::size_t looks, std::size_t per_rep, double delay_ms, double floor_rel, double detect_rel,
                       std::uint64_t seed) {
  SequentialDesign design;
  design.alpha = 0.01;
  design.tests = 1;
  design.repetitions_per_look = per_look;
  design.max_looks = looks;
  Repetitions baseline, candidate;
  Call call = Call::kUndecided;
  for (std::size_t look = 1; look <= looks; ++look) {
    auto [b, c] = run.sides(per_look, per_rep, delay_ms);
    baseline.samples.insert(baseline.samples.end(), b.samples.begin(), b.samples.end());
    candidate.samples.insert(candidate.samples.end(), c.samples.begin(), c.samples.end());
    // As many draws as the gate takes.
    const auto estimate = paired_randomization(baseline, candidate, statistic, 0.0, design.level(),
                                               randomization_draws(design.level(), 0), seed + look);
    const double detect = detect_rel * estimate.baseline;
    const auto at_detect = paired_randomization(baseline, candidate, statistic, -detect, design.pass_level(),
                                                randomization_draws(design.pass_level(), 0), seed + look);
    call = sequential_call({estimate.observed, estimate.low, estimate.high},
                           {at_detect.observed, at_detect.low, at_detect.high}, floor_rel * estimate.baseline, detect);
    if (call != Call::kUndecided) return {call, estimate.pairs};
  }
  return {call, per_look * looks};
}

struct Rates {
  std::size_t trials = 0, regressed = 0, passed = 0, undecided = 0;
  double mean_pairs = 0;
};

Rates run_trials(std::size_t trials, const PooledStatistic& statistic, std::size_t per_look, std::size_t looks,
                 std::size_t per_rep, double delay_ms, double repetition_sigma, std::uint64_t seed) {
  SyntheticRun run(seed);
  run.repetition_sigma = repetition_sigma;
  Rates rates;
  rates.trials = trials;
  for (std::size_t t = 0; t < trials; ++t) {
    const Trial trial = sequential_trial(run, statistic, per_look, looks, per_rep, delay_ms, 0.05, 0.10, seed * 1000 + t);
    rates.regressed += trial.call == Call::kRegressed;
    rates.passed += trial.call == Call::kPass;
    rates.undecided += trial.call == Call::kUndecided;
    rates.mean_pairs += static_cast<double>(trial.pairs) / static_cast<double>(trials);
  }
  return rates;
}

TEST(PairedRandomization, MatchesTheExactEnumerationOfSwaps) {
  // Three pairs whose candidate is worse by 1, 2 and 4: the 8 swap patterns give a mean change of
  // (+-1 +-2 +-4) / 3, each with probability 1/8, and the observed +7/3 is the largest of them: p = 1/8.
  Repetitions baseline, candidate;
  baseline.values = {1, 2, 3};
  candidate.values = {2, 4, 7};
  const PooledStatistic per_repetition{};
  // At level 0.1 the upper quantile is the largest swap (1/8 of them are +7/3), so the observed change is
  // not beyond it: not significant, as p = 1/8 > 0.1 says.
  auto at_10 = paired_randomization(baseline, candidate, per_repetition, 0.0, 0.1, 20000, 1);
  EXPECT_DOUBLE_EQ(at_10.high, 7.0 / 3.0);
  EXPECT_DOUBLE_EQ(at_10.low, -7.0 / 3.0);
  EXPECT_DOUBLE_EQ(at_10.observed, 7.0 / 3.0);
  EXPECT_FALSE(at_10.observed > at_10.high);
  // At level 0.2 it is the second largest (2/8 are +5/3 or more): significant, as p = 1/8 <= 0.2 says.
  auto at_20 = paired_randomization(baseline, candidate, per_repetition, 0.0, 0.2, 20000, 1);
  EXPECT_DOUBLE_EQ(at_20.high, 5.0 / 3.0);
  EXPECT_TRUE(at_20.observed > at_20.high);
  EXPECT_EQ(at_20.pairs, 3u);
  EXPECT_EQ(at_20.draws, 20000u);
}

TEST(PairedRandomization, SpreadOfAMeanMatchesItsClosedForm) {
  // No drift or repetition noise: requests are independent, so the change of the means is about normal
  // with SE = sqrt(2 var / N), and the 2.5 % quantiles of the swaps are about -+1.96 SE.
  SyntheticRun run(7);
  run.drift_sigma = 0;
  run.repetition_sigma = 0;
  auto [baseline, candidate] = run.sides(64, 50, 0.0);
  const auto estimate = paired_randomization(baseline, candidate, {PooledStatistic::Kind::kMean, 0, "latency"}, 0.0, 0.025, 4000, 1);
  // Lognormal(log 6, 0.3): variance = 36 e^{0.09} (e^{0.09} - 1).
  const double variance = 36.0 * std::exp(0.09) * (std::exp(0.09) - 1.0);
  const double expected = 1.959964 * std::sqrt(2.0 * variance / (64.0 * 50.0));
  EXPECT_NEAR(estimate.high / expected, 1.0, 0.2) << estimate.high << " vs " << expected;
  EXPECT_NEAR(-estimate.low / expected, 1.0, 0.2) << estimate.low << " vs " << expected;
  EXPECT_EQ(estimate.pairs, 64u);
}

TEST(PairedRandomization, PairingTakesOutTheDriftBothSidesShare) {
  // Strong drift between pairs (15 %), little within a pair: the swaps keep each pair's drift on both sides,
  // so their spread reflects only the within-pair differences, far below what the drift alone would give
  // unpaired.
  SyntheticRun run(8);
  run.drift_sigma = 0.15;
  run.repetition_sigma = 0.0;
  auto [baseline, candidate] = run.sides(32, 100, 0.0);
  const PooledStatistic mean{PooledStatistic::Kind::kMean, 0, "latency"};
  const auto paired = paired_randomization(baseline, candidate, mean, 0.0, 0.025, 2000, 2);
  const double drift_range = 1.959964 * 6.0 * std::exp(0.045) * 0.15 * std::sqrt(2.0 / 32.0);  // unpaired
  EXPECT_LT(paired.high, drift_range / 3) << paired.high << " vs " << drift_range;
}

TEST(PairedRandomization, DeterministicForOneSeedAndSilentWithoutPairs) {
  SyntheticRun run(9);
  auto [baseline, candidate] = run.sides(16, 100, 0.0);
  const PooledStatistic p99{PooledStatistic::Kind::kPercentile, 99, "latency"};
  const auto once = paired_randomization(baseline, candidate, p99, 0.0, 0.01, 1000, 5);
  const auto again = paired_randomization(baseline, candidate, p99, 0.0, 0.01, 1000, 5);
  EXPECT_DOUBLE_EQ(once.high, again.high);
  EXPECT_DOUBLE_EQ(once.low, again.low);
  EXPECT_EQ(once.draws, 1000u);
  const auto alone = paired_randomization({{{1.0}}, {}}, {{{2.0}}, {}}, p99, 0.0, 0.01, 1000, 5);
  EXPECT_TRUE(std::isinf(alone.high));
  EXPECT_TRUE(std::isinf(alone.low));
  EXPECT_EQ(alone.draws, 0u);
}

TEST(PairedRandomization, PercentileWalkIsThePooledPercentileOfEachSide) {
  // The swaps' percentiles come from one walk down the merged values of all repetitions; each must be the
  // harness figure of that side's union (pooled_value). With 3 pairs there are 8 equally likely swap patterns,
  // so at level 0.1 the quantiles are the extreme patterns' changes and at level 0.3 the third from each end:
  // checked against the 8 changes computed with pooled_value, for percentiles on both sides of 50, uneven
  // repetition sizes, ties, and a shift of the candidate (to rounding: the walk adds in another order).
  std::mt19937_64 generator(11);
  Repetitions baseline, candidate;
  for (int i = 0; i < 3; ++i) {
    for (auto* side : {&baseline, &candidate}) {
      std::vector<double> values;
      for (std::size_t k = 0; k < 20 + generator() % 40; ++k) values.push_back(static_cast<double>(generator() % 50));
      side->samples.push_back(std::move(values));
    }
  }
  const double shift = -3.0;
  const std::vector<std::uint32_t> every(3, 1);
  for (double p : {0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 100.0}) {
    const PooledStatistic statistic{PooledStatistic::Kind::kPercentile, p, "latency"};
    std::vector<double> patterns;
    for (int mask = 0; mask < 8; ++mask) {
      Repetitions b, c;
      for (int i = 0; i < 3; ++i) {
        const bool swapped = (mask >> i) & 1;
        b.samples.push_back(swapped ? candidate.samples[i] : baseline.samples[i]);
        c.samples.push_back(swapped ? baseline.samples[i] : candidate.samples[i]);
        for (double& v : (swapped ? b : c).samples.back()) v += shift;
      }
      patterns.push_back(pooled_value(c, statistic, every) - pooled_value(b, statistic, every));
    }
    const double observed = patterns[0];  // no swap
    std::sort(patterns.begin(), patterns.end());
    const auto extremes = paired_randomization(baseline, candidate, statistic, shift, 0.1, 20000, 3);
    EXPECT_NEAR(extremes.low, patterns[0], 1e-9) << p;
    EXPECT_NEAR(extremes.high, patterns[7], 1e-9) << p;
    const auto third = paired_randomization(baseline, candidate, statistic, shift, 0.3, 20000, 3);
    EXPECT_NEAR(third.low, patterns[2], 1e-9) << p;
    EXPECT_NEAR(third.high, patterns[5], 1e-9) << p;
    EXPECT_NEAR(third.candidate - third.baseline, observed, 1e-9) << p;
    EXPECT_NEAR(third.observed, observed, 1e-9) << p;
  }
}

TEST(PairedRandomization, DrawsForTheLevel) {
  EXPECT_EQ(randomization_draws(0.01, 100), 1000u);
  EXPECT_EQ(randomization_draws(0.01, 5000), 5000u);
  EXPECT_EQ(randomization_draws(0.000357, 2000), 28012u);
  EXPECT_EQ(randomization_draws(1e-9, 2000), 1'000'000u);
}

TEST(SequentialCall, TheFourOutcomes) {
  Bounds bounds;
  // d = 12 against swaps within [-6, 6]: L = 6, beyond a floor of 5: regressed. At detect (10) d is 2, so
  // U = 10 + 2 + 6.
  EXPECT_EQ(sequential_call({12, -6, 6}, {2, -6, 6}, 5, 10, &bounds), Call::kRegressed);
  EXPECT_DOUBLE_EQ(bounds.lower, 6);
  EXPECT_DOUBLE_EQ(bounds.upper, 18);
  EXPECT_EQ(sequential_call({4, -3, 3}, {-2, -3, 3}, 5, 6), Call::kUndecided);  // real but below the floor; U 7 >= 6 ...
  EXPECT_EQ(sequential_call({4, -1.5, 1.5}, {-2, -1.5, 1.5}, 5, 6, &bounds), Call::kPass);  // ... with U = 5.5 a pass
  EXPECT_DOUBLE_EQ(bounds.upper, 5.5);
  EXPECT_EQ(sequential_call({-12, -6, 6}, {-22, -6, 6}, 5, 10), Call::kImproved);
  EXPECT_EQ(sequential_call({0, -12, 12}, {-10, -12, 12}, 5, 10), Call::kUndecided);  // U = 12: 10 not ruled out
  EXPECT_EQ(sequential_call({0, -9, 9}, {-10, -9, 9}, 5, 10), Call::kPass);           // U = 9
  EXPECT_EQ(sequential_call({3, -2, 8}, {-7, -2, 8}, 1, 10, &bounds), Call::kPass);   // an uneven range: [-5, 5]
  EXPECT_DOUBLE_EQ(bounds.lower, -5);
  EXPECT_DOUBLE_EQ(bounds.upper, 5);
  // PASS is read from the test at the detect size: here chance spans more below it, so U = 8 + 1 >= 8.
  EXPECT_EQ(sequential_call({0, -6, 6}, {-8, -9, 6}, 1, 8, &bounds), Call::kUndecided);
  EXPECT_DOUBLE_EQ(bounds.upper, 9);
  // A change that some swaps reach exactly decides nothing (with 2 pairs, the observed labelling is a quarter
  // of all swaps, so it is its own quantile).
  EXPECT_EQ(sequential_call({6, -6, 6}, {-6, -6, 6}, 1, 10), Call::kUndecided);
  const double infinity = std::numeric_limits<double>::infinity();
  EXPECT_EQ(sequential_call({12, -infinity, infinity}, {2, -infinity, infinity}, 5, 10), Call::kUndecided);
  EXPECT_EQ(sequential_call({std::nan(""), -6, 6}, {std::nan(""), -6, 6}, 5, 10), Call::kUndecided);
}

TEST(SequentialDesign, BonferroniOverTestsAndLooks) {
  SequentialDesign design;
  design.alpha = 0.01;
  design.tests = 5;
  design.max_looks = 4;
  EXPECT_DOUBLE_EQ(design.level(), 0.0005);
  // PASS is summed over the looks only: a case passes when all its counters do (intersection-union).
  EXPECT_DOUBLE_EQ(design.pass_level(), 0.0125);
  EXPECT_EQ(design.cap(), 64u);
}

// The claims, on a grid: with no change, REGRESSED at most alpha (1 %) of the time; with a change of the
// detect size (10 %), PASS at most beta (5 %) of the time; with a change well beyond it and enough samples,
// REGRESSED at least 95 % of the time. Each is checked as "the observed count is not beyond what the claimed rate gives with
// probability 0.001", so the test fails only where the claim is wrong, and the rates are printed.
// The "bursty" points give each repetition a level of its own (sigma 0.25, not shared by its pair), as the
// LLM case's repetitions had on this VM (means from 3.6 to 8.9 ms): a pooled P99 is then decided by the few
// slowest repetitions. There the bootstrap that the gate used before went wrong; no power is claimed there.
struct GridPoint {
  const char* statistic;
  std::size_t per_look, per_rep;
  double effect;                   // relative to the synthetic statistic's value
  double repetition_sigma = 0.02;  // each repetition's own level, log-normal
};

class SequentialClaims : public ::testing::TestWithParam<GridPoint> {};

TEST_P(SequentialClaims, HoldWithinTheirBinomialBounds) {
  const GridPoint point = GetParam();
  const bool tail = std::string(point.statistic) == "p99";
  const bool bursty = point.repetition_sigma > 0.1;
  const PooledStatistic statistic = tail ? PooledStatistic{PooledStatistic::Kind::kPercentile, 99, "latency"}
                                         : PooledStatistic{PooledStatistic::Kind::kMean, 0, "latency"};
  const double value = synthetic_value(tail, SyntheticRun(0).drift_sigma, point.repetition_sigma);
  const std::size_t trials = tail ? 120 : 300;
  const Rates rates = run_trials(trials, statistic, point.per_look, 4, point.per_rep, point.effect * value,
                                 point.repetition_sigma,
                                 point.per_look * 7919 + point.per_rep * 31 + static_cast<std::uint64_t>(point.effect * 1000) +
                                     (bursty ? 17 : 0));
  std::printf("%s +%.0f%%, %zu pairs per look x %zu requests, repetition sigma %.2f: regressed %zu, passed %zu, "
              "undecided %zu of %zu; mean pairs %.1f\n",
              point.statistic, 100 * point.effect, point.per_look, point.per_rep, point.repetition_sigma, rates.regressed,
              rates.passed, rates.undecided, rates.trials, rates.mean_pairs);
  if (point.effect == 0.0) {
    EXPECT_GT(binomial_upper_tail(rates.regressed, trials, 0.01), 0.001) << "false alarms beyond alpha";
  }
  if (point.effect >= 0.10) {
    EXPECT_GT(binomial_upper_tail(rates.passed, trials, 0.05), 0.001) << "a regression of the detect size passed";
  }
  if (point.effect >= 0.20 && !bursty) {
    EXPECT_GT(binomial_upper_tail(trials - rates.regressed, trials, 0.05), 0.001) << "power below 95 %";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Grid, SequentialClaims,
    ::testing::Values(GridPoint{"mean", 8, 50, 0.0}, GridPoint{"mean", 8, 50, 0.05}, GridPoint{"mean", 8, 50, 0.10},
                      GridPoint{"mean", 8, 50, 0.20}, GridPoint{"mean", 16, 100, 0.0}, GridPoint{"mean", 16, 100, 0.10},
                      GridPoint{"p99", 16, 100, 0.0}, GridPoint{"p99", 16, 100, 0.10}, GridPoint{"p99", 16, 100, 0.20},
                      GridPoint{"p99", 16, 400, 0.0}, GridPoint{"p99", 16, 400, 0.10},
                      GridPoint{"p99", 16, 100, 0.0, 0.25}, GridPoint{"p99", 16, 100, 0.10, 0.25},
                      GridPoint{"p99", 16, 100, 0.30, 0.25}));

}  // namespace
}  // namespace voxperf::gate
