// The interleaved A/B gate's statistics on synthetic samples with known distributions (fixed seeds, so every
// run sees the same samples): the t quantiles, the pooled statistics, the bootstrap's standard error against
// its closed form, and the false-alarm and power claims of the sequential rule (tools/gate/sequential_test.h)
// over a grid of effect sizes and sample counts, each checked against the claim with a binomial bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "harness/percentile.h"
#include "tools/gate/paired_bootstrap.h"
#include "tools/gate/sequential_test.h"
#include "tools/gate/student_t.h"

namespace voxperf::gate {
namespace {

TEST(StudentT, QuantilesMatchTables) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959964, 1e-5);
  EXPECT_NEAR(normal_quantile(0.99), 2.326348, 1e-5);
  EXPECT_NEAR(normal_quantile(1e-4), -3.719016, 1e-5);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228139, 1e-5);
  EXPECT_NEAR(student_t_quantile(0.99, 5), 3.364930, 1e-5);
  EXPECT_NEAR(student_t_quantile(0.995, 1), 63.65674, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.95, 30), 1.697261, 1e-5);
  EXPECT_NEAR(student_t_quantile(0.9999, 15), 4.880, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.228139, 1e-5);
  EXPECT_NEAR(student_t_cdf(2.228139, 10), 0.975, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.99, 1e6), normal_quantile(0.99), 1e-4);
  EXPECT_TRUE(std::isnan(student_t_quantile(1.0, 5)));
}

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
  // Many repetitions of many values, every weight pattern of a bootstrap: the same as sorting the union.
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

// The 99th percentile of lognormal(log 6, 0.3) in ms, the synthetic P99 a planted delay is sized from.
const double kSyntheticP99 = 6.0 * std::exp(0.3 * 2.326348);

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
    const auto estimate = paired_bootstrap(baseline, candidate, statistic, 200, seed + look);
    const double worse_by = estimate.candidate - estimate.baseline;
    call = sequential_call(worse_by, estimate.standard_error, design.critical_value(estimate.pairs),
                           floor_rel * estimate.baseline, detect_rel * estimate.baseline);
    if (call != Call::kUndecided) return {call, estimate.pairs};
  }
  return {call, per_look * looks};
}

struct Rates {
  std::size_t trials = 0, regressed = 0, passed = 0, undecided = 0;
  double mean_pairs = 0;
};

Rates run_trials(std::size_t trials, const PooledStatistic& statistic, std::size_t per_look, std::size_t looks,
                 std::size_t per_rep, double delay_ms, std::uint64_t seed) {
  SyntheticRun run(seed);
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

TEST(PairedBootstrap, StandardErrorOfAMeanMatchesItsClosedForm) {
  // No drift or repetition noise: requests are independent, so SE(mean difference) = sqrt(2 var / N).
  SyntheticRun run(7);
  run.drift_sigma = 0;
  run.repetition_sigma = 0;
  auto [baseline, candidate] = run.sides(64, 50, 0.0);
  const auto estimate = paired_bootstrap(baseline, candidate, {PooledStatistic::Kind::kMean, 0, "latency"}, 2000, 1);
  // Lognormal(log 6, 0.3): variance = 36 e^{0.09} (e^{0.09} - 1).
  const double variance = 36.0 * std::exp(0.09) * (std::exp(0.09) - 1.0);
  const double expected = std::sqrt(2.0 * variance / (64.0 * 50.0));
  EXPECT_NEAR(estimate.standard_error / expected, 1.0, 0.2) << estimate.standard_error << " vs " << expected;
  EXPECT_EQ(estimate.pairs, 64u);
}

TEST(PairedBootstrap, PairingTakesOutTheDriftBothSidesShare) {
  // Strong drift between pairs (15 %), little within a pair: the paired bootstrap's SE reflects only the
  // within-pair spread, far below what the drift alone would give unpaired.
  SyntheticRun run(8);
  run.drift_sigma = 0.15;
  run.repetition_sigma = 0.0;
  auto [baseline, candidate] = run.sides(32, 100, 0.0);
  const PooledStatistic mean{PooledStatistic::Kind::kMean, 0, "latency"};
  const auto paired = paired_bootstrap(baseline, candidate, mean, 1000, 2);
  const double drift_se = 6.0 * std::exp(0.045) * 0.15 * std::sqrt(2.0 / 32.0);  // what unpaired sides would carry
  EXPECT_LT(paired.standard_error, drift_se / 3) << paired.standard_error << " vs " << drift_se;
}

TEST(PairedBootstrap, DeterministicForOneSeed) {
  SyntheticRun run(9);
  auto [baseline, candidate] = run.sides(16, 100, 0.0);
  const PooledStatistic p99{PooledStatistic::Kind::kPercentile, 99, "latency"};
  EXPECT_DOUBLE_EQ(paired_bootstrap(baseline, candidate, p99, 300, 5).standard_error,
                   paired_bootstrap(baseline, candidate, p99, 300, 5).standard_error);
  EXPECT_TRUE(std::isnan(paired_bootstrap({{{1.0}}, {}}, {{{2.0}}, {}}, p99, 300, 5).standard_error));
}

TEST(SequentialCall, TheFourOutcomes) {
  Bounds bounds;
  // d = 12, s = 2, c = 3: [6, 18], beyond a floor of 5: regressed.
  EXPECT_EQ(sequential_call(12, 2, 3, 5, 10, &bounds), Call::kRegressed);
  EXPECT_DOUBLE_EQ(bounds.lower, 6);
  EXPECT_DOUBLE_EQ(bounds.upper, 18);
  EXPECT_EQ(sequential_call(4, 1, 3, 5, 6), Call::kUndecided);    // real (L = 1) but below the floor; U 7 >= 6 ...
  EXPECT_EQ(sequential_call(4, 0.5, 3, 5, 6), Call::kPass);       // ... and with U = 5.5 < 6 a pass
  EXPECT_EQ(sequential_call(-12, 2, 3, 5, 10), Call::kImproved);
  EXPECT_EQ(sequential_call(0, 4, 3, 5, 10), Call::kUndecided);   // U = 12: a 10 regression not ruled out
  EXPECT_EQ(sequential_call(0, 3, 3, 5, 10), Call::kPass);        // U = 9
  EXPECT_EQ(sequential_call(12, 2, std::numeric_limits<double>::infinity(), 5, 10), Call::kUndecided);
  EXPECT_EQ(sequential_call(12, std::nan(""), 3, 5, 10), Call::kUndecided);
}

TEST(SequentialDesign, BonferroniOverTestsAndLooks) {
  SequentialDesign design;
  design.alpha = 0.01;
  design.tests = 5;
  design.max_looks = 4;
  EXPECT_DOUBLE_EQ(design.level(), 0.0005);
  EXPECT_NEAR(design.critical_value(16), student_t_quantile(0.9995, 15), 1e-12);
  EXPECT_TRUE(std::isinf(design.critical_value(1)));
  EXPECT_EQ(design.cap(), 64u);
}

// The claims, on a grid: with no change, REGRESSED at most alpha of the time; with a change of the detect size
// (10 %), PASS at most alpha of the time; with a change well beyond it and enough samples, REGRESSED at least
// 95 % of the time. Each is checked as "the observed count is not beyond what the claimed rate gives with
// probability 0.001", so the test fails only where the claim is wrong, and the rates are printed.
struct GridPoint {
  const char* statistic;
  std::size_t per_look, per_rep;
  double effect;  // relative to the synthetic statistic's value
};

class SequentialClaims : public ::testing::TestWithParam<GridPoint> {};

TEST_P(SequentialClaims, HoldWithinTheirBinomialBounds) {
  const GridPoint point = GetParam();
  const bool tail = std::string(point.statistic) == "p99";
  const PooledStatistic statistic = tail ? PooledStatistic{PooledStatistic::Kind::kPercentile, 99, "latency"}
                                         : PooledStatistic{PooledStatistic::Kind::kMean, 0, "latency"};
  const double value = tail ? kSyntheticP99 : 6.0 * std::exp(0.045);
  const std::size_t trials = tail ? 120 : 300;
  const Rates rates = run_trials(trials, statistic, point.per_look, 4, point.per_rep, point.effect * value,
                                 point.per_look * 7919 + point.per_rep * 31 + static_cast<std::uint64_t>(point.effect * 1000));
  std::printf("%s +%.0f%%, %zu pairs per look x %zu requests: regressed %zu, passed %zu, undecided %zu of %zu; mean pairs %.1f\n",
              point.statistic, 100 * point.effect, point.per_look, point.per_rep, rates.regressed, rates.passed,
              rates.undecided, rates.trials, rates.mean_pairs);
  if (point.effect == 0.0) {
    EXPECT_GT(binomial_upper_tail(rates.regressed, trials, 0.01), 0.001) << "false alarms beyond alpha";
  }
  if (point.effect >= 0.10) {
    EXPECT_GT(binomial_upper_tail(rates.passed, trials, 0.01), 0.001) << "a regression of the detect size passed";
  }
  if (point.effect >= 0.20) {
    EXPECT_GT(binomial_upper_tail(trials - rates.regressed, trials, 0.05), 0.001) << "power below 95 %";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Grid, SequentialClaims,
    ::testing::Values(GridPoint{"mean", 8, 50, 0.0}, GridPoint{"mean", 8, 50, 0.05}, GridPoint{"mean", 8, 50, 0.10},
                      GridPoint{"mean", 8, 50, 0.20}, GridPoint{"mean", 16, 100, 0.0}, GridPoint{"mean", 16, 100, 0.10},
                      GridPoint{"p99", 16, 100, 0.0}, GridPoint{"p99", 16, 100, 0.10}, GridPoint{"p99", 16, 100, 0.20},
                      GridPoint{"p99", 16, 400, 0.0}, GridPoint{"p99", 16, 400, 0.10}));

}  // namespace
}  // namespace voxperf::gate
