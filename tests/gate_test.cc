// The regression gate's logic: the U test against scipy's p-values, reading results files, stored-baseline
// and interleaved A/B decisions, validity rows, accepting runs into a baseline, and the outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "harness/input_error.h"
#include "tools/gate/ab_compare.h"
#include "tools/gate/baseline_update.h"
#include "tools/gate/gate_report.h"
#include "tools/gate/mann_whitney.h"
#include "tools/gate/robust_stats.h"
#include "tools/gate/stored_compare.h"

namespace voxperf::gate {
namespace {

namespace fs = std::filesystem;
using V = std::vector<double>;

// --- Mann-Whitney U: values from scipy.stats.mannwhitneyu 1.10.1, alternative="greater" ----------------

TEST(MannWhitney, ExactPValuesMatchScipy) {
  EXPECT_NEAR(mann_whitney_greater(V{4, 5, 6}, V{1, 2, 3}).p, 0.05, 1e-12);  // 1 / C(6, 3)
  EXPECT_NEAR(mann_whitney_greater(V{5, 6, 7, 8}, V{1, 2, 3, 4}).p, 0.014285714285714285, 1e-12);
  EXPECT_NEAR(mann_whitney_greater(V{1.1, 2.3, 3.2, 4.8, 5.5}, V{0.9, 1.5, 2.0, 3.0, 2.2}).p, 0.07539682539682539,
              1e-12);
  const V a{10.25, 11.5, 9.85, 12.1, 10.9, 11.7, 10.4, 12.6, 11.1, 10.05, 11.9, 12.3};  // no ties with b
  const V b{9.9, 10.1, 9.5, 10.8, 10.3, 9.7, 10.6, 9.4, 10.0, 10.2, 9.8, 10.5};
  const auto ab = mann_whitney_greater(a, b);
  EXPECT_TRUE(ab.exact);
  EXPECT_NEAR(ab.p, 0.0011582172034453634, 1e-12);
  EXPECT_NEAR(mann_whitney_greater(b, a).p, 0.9990851119536005, 1e-12);
  const auto none = mann_whitney_greater(V{3, 1, 2}, V{7, 5, 6, 4});
  EXPECT_EQ(none.u, 0);
  EXPECT_NEAR(none.p, 1.0, 1e-12);
}

TEST(MannWhitney, TiesAndLargeSamplesUseTheCorrectedNormalApproximation) {
  // 12 against 12 with ties (10.0 and 10.2 in both): scipy's method="asymptotic".
  EXPECT_NEAR(mann_whitney_greater(V{10.2, 11.5, 9.8, 12.1, 10.9, 11.7, 10.4, 12.6, 11.1, 10.0, 11.9, 12.3},
                                   V{9.9, 10.1, 9.5, 10.8, 10.3, 9.7, 10.6, 9.4, 10.0, 10.2, 9.8, 10.5})
                  .p,
              0.002321129035448629, 1e-9);
  const auto tied = mann_whitney_greater(V{1, 2, 2, 3, 4, 5}, V{1, 1, 2, 3, 3, 3});
  EXPECT_FALSE(tied.exact);
  EXPECT_NEAR(tied.p, 0.2540904577800438, 1e-9);
  V a, b;
  for (int i = 1; i <= 21; ++i) a.push_back(i + 0.3);
  for (int i = 3; i <= 23; ++i) b.push_back(i);
  const auto large = mann_whitney_greater(a, b);
  EXPECT_FALSE(large.exact);
  EXPECT_NEAR(large.p, 0.7822539225420718, 1e-9);
  EXPECT_EQ(mann_whitney_greater(V{3, 3, 3}, V{3, 3, 3}).p, 1.0);
  EXPECT_EQ(mann_whitney_greater(V{}, V{1, 2}).p, 1.0);
}

TEST(RobustStats, MedianAndScaledMad) {
  EXPECT_EQ(median({3, 1, 2}), 2);
  EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_NEAR(scaled_mad({1, 2, 3, 4, 100}), 1.4826, 1e-12);  // the outlier does not widen it
}

// --- Reading results ---------------------------------------------------------------------------------------

class GateFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf-gate-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(GateFiles, ReadsRepetitionsLabelsAndFingerprintFromGoogleBenchmarkJson) {
  const auto path = write("results.json", R"J({
    "context": {"voxperf_version": "0.1.0", "host": "ci-7, 2 cores", "targets_file": "/tmp/x/targets.json",
                "target TTS/m/bs8": "{\"data\":\"/home/me/voxperf/data/tts_prompts.txt\",\"model\":\"m\"}",
                "server_config TTS/m/bs8": "{\"profile\":\"bs8\",\"max_batch_size\":\"8\"}",
                "injected_faults": "stall=0.5"},
    "benchmarks": [
      {"name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time", "run_name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time",
       "run_type": "iteration", "repetitions": 2, "repetition_index": 0, "real_time": 12.5,
       "ttfa_mean_ms": 14.5, "errors": 0, "wer": NaN, "label": ""},
      {"name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time", "run_name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time",
       "run_type": "iteration", "repetitions": 2, "repetition_index": 1, "real_time": 12.9,
       "ttfa_mean_ms": 15.5, "errors": 2, "label": "FAILED: errors 2 (UNAVAILABLE 2)"},
      {"name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time_mean", "run_name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time",
       "run_type": "aggregate", "aggregate_name": "mean", "ttfa_mean_ms": 15.0}
    ]})J");
  const Results results = read_results(path);
  ASSERT_EQ(results.cases.size(), 1u);
  const auto& c = results.cases.at("TTS/m/bs8/stream/c:8");
  EXPECT_EQ(c.repetitions, 2u);
  EXPECT_EQ(c.counters.at("ttfa_mean_ms"), (V{14.5, 15.5}));
  EXPECT_TRUE(std::isnan(c.counters.at("wer").front()));
  EXPECT_FALSE(c.counters.count("real_time"));
  EXPECT_EQ(c.labels, std::vector<std::string>{"FAILED: errors 2 (UNAVAILABLE 2)"});
  EXPECT_EQ(results.injected_faults, "stall=0.5");
  // Data files by name only: checkouts live in different folders. Host and targets file are not part of it.
  EXPECT_EQ(results.fingerprint.at("target TTS/m/bs8"), R"({"data":"tts_prompts.txt","model":"m"})");
  EXPECT_EQ(results.fingerprint.at("server_config TTS/m/bs8"), R"({"max_batch_size":"8","profile":"bs8"})")
      << "keys sorted: a protobuf map's order is not fixed";
  EXPECT_EQ(results.fingerprint.at("gpu"), "none");
  EXPECT_FALSE(results.fingerprint.count("host"));
}

TEST_F(GateFiles, BadResultsFilesNameTheFile) {
  try {
    read_results(write("broken.json", "{\"benchmarks\": [ {"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json: not a JSON results file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_results(write("other.json", "{\"results\": []}")), InputError);
  EXPECT_THROW(read_results(dir_ / "absent.json"), InputError);
}

TEST(CaseName, StripsGoogleBenchmarkSuffixes) {
  EXPECT_EQ(case_name_of("TTS/Magpie/bs64/stream/c:32/iterations:1/manual_time"), "TTS/Magpie/bs64/stream/c:32");
  EXPECT_EQ(case_name_of("ASR/p/default/offline/c:4/iterations:1/repeats:5/manual_time"), "ASR/p/default/offline/c:4");
  EXPECT_EQ(case_name_of("ASR/p/default/offline/c:4"), "ASR/p/default/offline/c:4");
}

// --- Stored baselines --------------------------------------------------------------------------------------

GatePolicy test_policy() {
  GatePolicy policy;
  policy.counters["ttfa_mean_ms"] = {Better::kLower, 0.05, 0.5};
  policy.counters["throughput_rps"] = {Better::kHigher, 0.05, 0.0};
  policy.counters["wer"] = {Better::kLower, 0.0, 0.02};
  return policy;
}

const std::string kCase = "TTS/m/bs8/stream/c:8";

// Five accepted runs of five repetitions, medians 10.0 .. 10.4 ms (spread about 1.5 %).
Baseline stored_baseline() {
  Baseline b;
  b.suite = "riva-tts";
  b.target_set = "set";
  b.filter = "^TTS/";
  b.fingerprint = {{"voxperf_version", "0.1.0"}, {"gpu", "none"}};
  for (double centre : {10.0, 10.1, 10.2, 10.3, 10.4}) {
    b.cases[kCase]["ttfa_mean_ms"].push_back({centre - 0.2, centre - 0.1, centre, centre + 0.1, centre + 0.2});
    b.cases[kCase]["throughput_rps"].push_back({100, 101, 99, 100, 102});
    b.cases[kCase]["errors"].push_back({0, 0, 0, 0, 0});
  }
  return b;
}

Results run_with(const V& ttfa, double errors = 0) {
  Results r;
  r.path = "results.json";
  r.fingerprint = {{"voxperf_version", "0.1.0"}, {"gpu", "none"}};
  auto& c = r.cases[kCase];
  c.repetitions = ttfa.size();
  c.counters["ttfa_mean_ms"] = ttfa;
  c.counters["throughput_rps"] = V(ttfa.size(), 100.0);
  c.counters["errors"] = V(ttfa.size(), 0.0);
  c.counters["errors"].back() = errors;
  if (errors > 0) c.labels.push_back("FAILED: errors 1 (UNAVAILABLE 1)");
  return r;
}

const Row& row_for(const Comparison& c, const std::string& counter) {
  for (const auto& row : c.rows) {
    if (row.counter == counter) return row;
  }
  static const Row none{};
  ADD_FAILURE() << "no row for " << counter;
  return none;
}

TEST(StoredCompare, SameNumbersPass) {
  const auto c = compare_with_baseline(stored_baseline(), run_with({10.1, 10.3, 10.2, 10.0, 10.4}), test_policy());
  EXPECT_FALSE(c.failed());
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").verdict, Verdict::kPass);
  EXPECT_NEAR(row_for(c, "ttfa_mean_ms").baseline, 10.2, 1e-12);  // median of the run medians
  EXPECT_EQ(comparison_table(c).substr(comparison_table(c).rfind("1 passed")), "1 passed, 0 failed\n");
}

TEST(StoredCompare, TwentyFivePercentSlowerRegressesAndNamesTheCase) {
  const auto c = compare_with_baseline(stored_baseline(), run_with({12.6, 12.8, 12.7, 12.9, 12.5}), test_policy());
  const Row& row = row_for(c, "ttfa_mean_ms");
  EXPECT_EQ(row.verdict, Verdict::kRegressed);
  EXPECT_EQ(row.case_name, kCase);
  EXPECT_NEAR(row.change, 12.7 / 10.2 - 1, 1e-12);
  ASSERT_TRUE(row.p.has_value());
  EXPECT_LT(*row.p, 0.01);
  EXPECT_EQ(c.regressed_cases(), std::vector<std::string>{kCase});
  EXPECT_EQ(rerun_filter(c), "^(TTS/m/bs8/stream/c:8)(/|$)");
  const std::string table = comparison_table(c);
  EXPECT_NE(table.find("| TTS/m/bs8/stream/c:8 | ttfa_mean_ms | 10.2 | 12.7 | +24.5% | 5.0% |"), std::string::npos)
      << table;
  EXPECT_EQ(table.substr(table.rfind('\n', table.size() - 2) + 1), "0 passed, 1 failed\n");
  EXPECT_NE(comparison_junit(c).find("<failure type=\"REGRESSED\" message=\"ttfa_mean_ms: REGRESSED +24.5%"),
            std::string::npos);
}

TEST(StoredCompare, ChangesWithinTheToleranceOrTheSpreadOfPastRunsPass) {
  // 4 % slower: inside the 5 % floor.
  EXPECT_FALSE(compare_with_baseline(stored_baseline(), run_with({10.5, 10.6, 10.6, 10.7, 10.6}), test_policy()).failed());
  // 9 % slower, but past runs moved by about as much: the tolerance widens to 3 x their robust spread.
  Baseline noisy = stored_baseline();
  auto& history = noisy.cases[kCase]["ttfa_mean_ms"];
  history = {{9.0}, {10.2}, {11.4}, {9.6}, {10.8}};
  const auto c = compare_with_baseline(noisy, run_with({11.1, 11.2, 11.1, 11.0, 11.2}), test_policy());
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").verdict, Verdict::kPass);
  EXPECT_GT(row_for(c, "ttfa_mean_ms").tolerance, 0.2);
}

TEST(StoredCompare, TailCountersOfSmallWindowsAreShownButNotGated) {
  GatePolicy policy = test_policy();
  policy.counters["ttfa_mean_ms"].min_requests = 2000;
  Results slow = run_with({12.6, 12.8, 12.7, 12.9, 12.5});
  slow.cases[kCase].counters["requests"] = V(5, 32.0);
  auto c = compare_with_baseline(stored_baseline(), slow, policy);
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").verdict, Verdict::kPass);
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").note, "not gated: 32 requests per window, 2000 needed");
  EXPECT_NEAR(row_for(c, "ttfa_mean_ms").now, 12.7, 1e-12);
  slow.cases[kCase].counters["requests"] = V(5, 2048.0);
  c = compare_with_baseline(stored_baseline(), slow, policy);
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").verdict, Verdict::kRegressed);
}

TEST(StoredCompare, ImprovementsAreFlaggedForARefreshAndPass) {
  const auto c = compare_with_baseline(stored_baseline(), run_with({7.9, 8.0, 8.1, 8.0, 7.8}), test_policy());
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").verdict, Verdict::kImproved);
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").note, "refresh candidate");
  EXPECT_FALSE(c.failed());
}

TEST(StoredCompare, AbsoluteFloorKeepsTinyValuesFromFailing) {
  Baseline b = stored_baseline();
  b.cases[kCase]["ttfa_mean_ms"] = {{0.60, 0.61, 0.59}, {0.62, 0.60, 0.61}};
  // +50 %, but 0.3 ms: under the counter's 0.5 ms floor.
  EXPECT_FALSE(compare_with_baseline(b, run_with({0.90, 0.91, 0.92, 0.90, 0.89}), test_policy()).failed());
}

TEST(StoredCompare, ARegressionTheRerunDoesNotShowPasses) {
  const Results slow = run_with({12.6, 12.8, 12.7, 12.9, 12.5});
  const Results rerun_fine = run_with({10.1, 10.3, 10.2, 10.0, 10.4});
  const auto c = compare_with_baseline(stored_baseline(), slow, test_policy(), &rerun_fine);
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").verdict, Verdict::kPass);
  EXPECT_EQ(row_for(c, "ttfa_mean_ms").note, "not confirmed by the rerun");
  const auto confirmed = compare_with_baseline(stored_baseline(), slow, test_policy(), &slow);
  EXPECT_EQ(row_for(confirmed, "ttfa_mean_ms").verdict, Verdict::kRegressed);
}

TEST(StoredCompare, InvalidRunsAreNeverPassed) {
  // Errors where the baseline had none, even with good latencies.
  auto c = compare_with_baseline(stored_baseline(), run_with({10.1, 10.2, 10.3}, 1), test_policy());
  EXPECT_EQ(row_for(c, "(errors)").verdict, Verdict::kInvalid);
  EXPECT_NE(row_for(c, "(errors)").note.find("UNAVAILABLE"), std::string::npos);
  EXPECT_TRUE(c.failed());
  EXPECT_FALSE(c.only_regressions()) << "a rerun must not clear an invalid run";
  // Unsent requests and schedule lag.
  Results lagging = run_with({10.1, 10.2, 10.3});
  lagging.cases[kCase].counters["unsent"] = {0, 3, 0};
  lagging.cases[kCase].counters["schedule_lag_p99_ms"] = {1, 2, 80};
  c = compare_with_baseline(stored_baseline(), lagging, test_policy());
  EXPECT_EQ(row_for(c, "(unsent)").verdict, Verdict::kInvalid);
  EXPECT_EQ(row_for(c, "(schedule_lag)").verdict, Verdict::kInvalid);
  // A level that did not settle, or that stopped the sweep at its latency threshold.
  Results unsettled = run_with({10.1, 10.2, 10.3});
  unsettled.cases[kCase].counters["stable"] = {1, 0, 1};
  unsettled.cases[kCase].counters["over_latency_threshold"] = {0, 0, 1};
  c = compare_with_baseline(stored_baseline(), unsettled, test_policy());
  EXPECT_EQ(row_for(c, "(unstable)").verdict, Verdict::kInvalid);
  EXPECT_EQ(row_for(c, "(latency threshold)").verdict, Verdict::kInvalid);
  EXPECT_TRUE(c.failed());
  // A paced level where the client fell behind its real-time schedule measured the client, not the server.
  Results behind = run_with({10.1, 10.2, 10.3});
  behind.cases[kCase].counters["over_chunk_lag_budget"] = {0, 1, 0};
  c = compare_with_baseline(stored_baseline(), behind, test_policy());
  EXPECT_EQ(row_for(c, "(chunk_lag)").verdict, Verdict::kInvalid);
  EXPECT_TRUE(c.failed());
  Results settled = run_with({10.1, 10.2, 10.3});
  settled.cases[kCase].counters["stable"] = {1, 1, 1};
  settled.cases[kCase].counters["over_latency_threshold"] = {0, 0, 0};
  EXPECT_FALSE(compare_with_baseline(stored_baseline(), settled, test_policy()).failed());
  // A case of the baseline missing from the results.
  Results other = run_with({10.1});
  other.cases.clear();
  other.cases["TTS/m/bs8/stream/c:1"].counters["ttfa_mean_ms"] = {1.0};
  c = compare_with_baseline(stored_baseline(), other, test_policy());
  EXPECT_EQ(row_for(c, "(case)").verdict, Verdict::kMissing);
  EXPECT_EQ(c.notes, std::vector<std::string>{"TTS/m/bs8/stream/c:1: not in the baseline (a refresh adds it)"});
  // A different fingerprint: nothing is compared.
  Results moved = run_with({10.1, 10.2, 10.3});
  moved.fingerprint["voxperf_version"] = "0.2.0";
  c = compare_with_baseline(stored_baseline(), moved, test_policy());
  EXPECT_EQ(row_for(c, "(fingerprint)").verdict, Verdict::kInvalid);
  EXPECT_NE(row_for(c, "(fingerprint)").note.find("voxperf_version differs"), std::string::npos);
  // Report mode still lists them; the last line counts them as failed.
  EXPECT_NE(comparison_table(c).find("0 passed, 1 failed"), std::string::npos);
}

// --- Interleaved A/B ---------------------------------------------------------------------------------------

Results ab_run(const V& baseline_ttfa, const V& candidate_ttfa) {
  Results r;
  r.path = "ab.json";
  auto& c = r.cases[kCase];
  c.counters["ttfa_mean_ms"] = candidate_ttfa;
  c.counters["baseline.ttfa_mean_ms"] = baseline_ttfa;
  for (const char* side : {"", "baseline."}) {
    c.counters[std::string(side) + "requests"] = V(candidate_ttfa.size(), 16);
    c.counters[std::string(side) + "errors"] = V(candidate_ttfa.size(), 0);
  }
  return r;
}

// An A/B case of `pairs` repetitions whose ttfa samples (20 requests each) are 10 ms plus a spread of
// +-`spread` ms, the candidate's multiplied by `factor`, and each pair slowed alike by a drift of up to 20 %.
Results ab_samples(std::size_t pairs, double factor, double spread) {
  Results r;
  r.path = "ab.json";
  auto& c = r.cases[kCase];
  for (std::size_t i = 0; i < pairs; ++i) {
    const double drift = 1.0 + 0.2 * static_cast<double>(i % 5) / 4.0;
    for (const char* side : {"", "baseline."}) {
      const double scale = std::string(side).empty() ? factor : 1.0;
      V samples;
      for (int k = 0; k < 20; ++k) {
        const double offset = spread * (static_cast<double>((k * 7 + static_cast<int>(i) * 3 + (*side ? 1 : 0)) % 21) / 10.0 - 1.0);
        samples.push_back((10.0 + offset) * drift * scale);
      }
      double mean = 0;
      for (double v : samples) mean += v / 20.0;
      c.samples[std::string(side) + "ttfa"].push_back(samples);
      c.counters[std::string(side) + "ttfa_mean_ms"].push_back(mean);
      c.counters[std::string(side) + "requests"].push_back(20);
      c.counters[std::string(side) + "errors"].push_back(0);
    }
  }
  c.repetitions = pairs;
  return r;
}

TEST(InterleavedCompare, APooledShiftBeyondTheFloorRegressesWithItsBounds) {
  const auto c = compare_interleaved(ab_samples(16, 1.12, 0.5), test_policy());
  const Row& row = row_for(c, "ttfa_mean_ms");
  EXPECT_EQ(row.verdict, Verdict::kRegressed) << comparison_table(c);
  EXPECT_NEAR(row.change, 0.12, 0.002);  // the pooled means (the sides' spreads differ a little)
  ASSERT_TRUE(row.lower && row.upper);
  EXPECT_GT(*row.lower, 0.0);
  EXPECT_LT(*row.lower, 0.12);
  EXPECT_GT(*row.upper, 0.12);
  EXPECT_EQ(row.pairs, 16u);
  EXPECT_FALSE(row.p);  // no U test in A/B
  EXPECT_EQ(c.mode, "ab");
  EXPECT_NE(comparison_table(c).find("| Bounds (pairs) |"), std::string::npos);
  EXPECT_NE(comparison_table(c).find("(16) | REGRESSED"), std::string::npos) << comparison_table(c);
  // 1 gated counter (ttfa_mean_ms; the policy's others are not counters of this case), 4 looks: L at
  // 0.01 / 4, U at 0.05 / 4 (PASS is not divided by the counters).
  EXPECT_NE(c.notes.back().find("1 gated counters, up to 4 looks of 16 repetitions: L at one-sided level 0.0025 "
                                "(alpha 0.01 for the whole run), U at 0.0125 (beta 0.05 per counter)"),
            std::string::npos) << c.notes.back();
}

TEST(InterleavedCompare, ASmallShiftMeasuredTightlyPassesAndNoiseIsUndecidedUntilTheCap) {
  // 2 % slower, measured tightly: a 10 % regression is ruled out.
  EXPECT_EQ(row_for(compare_interleaved(ab_samples(16, 1.02, 0.1), test_policy()), "ttfa_mean_ms").verdict, Verdict::kPass);
  // 8 % slower with a wide spread in 3 pairs: neither is clear; more repetitions are asked for.
  GatePolicy policy = test_policy();
  policy.counters["ttfa_mean_ms"].absolute = 0;
  auto noisy = compare_interleaved(ab_samples(3, 1.08, 9.0), policy);
  const Row& row = row_for(noisy, "ttfa_mean_ms");
  EXPECT_EQ(row.verdict, Verdict::kUndecided) << comparison_table(noisy);
  EXPECT_TRUE(row.more_possible);
  EXPECT_EQ(noisy.more, std::vector<std::string>{kCase});
  EXPECT_FALSE(noisy.failed());  // not a verdict yet ...
  EXPECT_EQ(noisy.cases_passed(), 0u);  // ... nor a pass
  EXPECT_NE(comparison_table(noisy).find("1 undecided below the cap, to measure again: " + kCase), std::string::npos);
  // At the cap (here 3 pairs: looks of 1 ... 3 x 1) it stays undecided, and the policy says what that means.
  policy.ab.repetitions_per_look = 1;
  policy.ab.max_looks = 3;
  auto capped = compare_interleaved(ab_samples(3, 1.08, 9.0), policy);
  EXPECT_EQ(row_for(capped, "ttfa_mean_ms").verdict, Verdict::kUndecided);
  EXPECT_TRUE(capped.more.empty());
  EXPECT_TRUE(capped.failed());
  policy.ab.undecided_fails = false;
  EXPECT_FALSE(compare_interleaved(ab_samples(3, 1.08, 9.0), policy).failed());
}

TEST(InterleavedCompare, CountersWithoutSamplesArePooledPerRepetition) {
  Results r = ab_samples(16, 1.12, 0.5);
  r.cases[kCase].samples.clear();
  const auto c = compare_interleaved(r, test_policy());
  const Row& row = row_for(c, "ttfa_mean_ms");
  EXPECT_EQ(row.verdict, Verdict::kRegressed);
  EXPECT_NE(row.note.find("per-repetition values: no ttfa samples"), std::string::npos) << row.note;
  // Samples of one side with another count of repetitions than the other's: invalid, never guessed.
  Results uneven = ab_samples(16, 1.0, 0.5);
  uneven.cases[kCase].samples["ttfa"].pop_back();
  const auto d = compare_interleaved(uneven, test_policy());
  const Row& bad = row_for(d, "ttfa_mean_ms");
  EXPECT_EQ(bad.verdict, Verdict::kInvalid);
  EXPECT_NE(bad.note.find("16 baseline and 15 candidate repetitions"), std::string::npos) << bad.note;
}

TEST(InterleavedCompare, ErrorsOnEitherSideAreInvalid) {
  Results r = ab_run({10, 10, 10}, {10, 10, 10});
  r.cases[kCase].counters["baseline.errors"] = {0, 1, 0};
  const auto c = compare_interleaved(r, test_policy());
  EXPECT_EQ(row_for(c, "(errors)").verdict, Verdict::kInvalid);
  EXPECT_NE(row_for(c, "(errors)").note.find("baseline"), std::string::npos);
  EXPECT_THROW(compare_interleaved(run_with({10.0}), test_policy()), InputError);  // not an A/B run
  Results unstable = ab_run({10, 10, 10}, {10, 10, 10});
  unstable.cases[kCase].counters["stable"] = {1, 0, 1};
  EXPECT_EQ(row_for(compare_interleaved(unstable, test_policy()), "(unstable)").verdict, Verdict::kInvalid);
  Results behind = ab_run({10, 10, 10}, {10, 10, 10});
  behind.cases[kCase].counters["over_chunk_lag_budget"] = {0, 0, 1};
  const auto b = compare_interleaved(behind, test_policy());
  EXPECT_EQ(row_for(b, "(chunk_lag)").verdict, Verdict::kInvalid);
  EXPECT_NE(row_for(b, "(chunk_lag)").note.find("candidate"), std::string::npos) << row_for(b, "(chunk_lag)").note;
}

// --- Accepting runs into a baseline -------------------------------------------------------------------------

TEST_F(GateFiles, AcceptingRunsBuildsABoundedHistoryAndWritesItAtomically) {
  GatePolicy policy = test_policy();
  policy.history_limit = 3;
  const SuiteSpec spec{"riva-tts", "set", "^TTS/"};
  UpdateOptions options;
  options.accepted_at = "2026-11-22T14:00:00Z";
  std::vector<std::string> summary;
  auto run = [](double start) {
    Results r = run_with({start, start + 1, start + 2});
    r.cases[kCase].counters["client_cpu_s"] = {0.1, 0.1, 0.1};  // not gated: not stored
    return r;
  };
  Baseline b = accept_run(std::nullopt, spec, run(10), policy, options, summary);
  EXPECT_EQ(summary, std::vector<std::string>{kCase + ": new case"});
  for (double start : {20.0, 30.0, 40.0}) {
    summary.clear();
    b = accept_run(b, spec, run(start), policy, options, summary);
  }
  const auto& history = b.cases.at(kCase).at("ttfa_mean_ms");
  ASSERT_EQ(history.size(), 3u);  // the oldest dropped out
  EXPECT_EQ(history.front(), (V{20, 21, 22}));
  // The reference moves from the median of 11, 21, 31 to that of 21, 31, 41.
  EXPECT_EQ(summary, std::vector<std::string>{kCase + " ttfa_mean_ms: 21 -> 31 (+47.62%)"});
  EXPECT_EQ(b.accepted.back(), "2026-11-22T14:00:00Z results.json (3 repetitions)");
  EXPECT_FALSE(b.cases.at(kCase).count("client_cpu_s")) << "only gated counters and errors are kept";

  const fs::path path = dir_ / "baselines" / "riva-tts" / "set.json";
  write_baseline(path, b);
  const Baseline read_back = read_baseline(path);
  EXPECT_EQ(read_back.cases, b.cases);
  EXPECT_EQ(read_back.fingerprint, b.fingerprint);
  EXPECT_EQ(read_back.accepted, b.accepted);
  EXPECT_NE(baseline_text(b).find("      \"ttfa_mean_ms\": [\n        [20, 21, 22],\n"), std::string::npos)
      << "one run per line, for diffs";
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path.parent_path())) ++files;
  EXPECT_EQ(files, 1u) << "no temporary file left behind";
}

TEST(AcceptRun, RefusesInvalidRunsAndSaysWhy) {
  const SuiteSpec spec{"riva-tts", "set", "^TTS/"};
  std::vector<std::string> summary;
  try {
    accept_run(std::nullopt, spec, run_with({10, 11}, 1), test_policy(), {}, summary);
    FAIL() << "accepted a run with errors";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(kCase + ": errors in a repetition (FAILED: errors 1"), std::string::npos)
        << e.what();
  }
  const Baseline b = accept_run(std::nullopt, spec, run_with({10, 11}), test_policy(), {}, summary);
  Results moved = run_with({10, 11});
  moved.fingerprint["gpu"] = "NVIDIA H100 80GB HBM3";
  EXPECT_THROW(accept_run(b, spec, moved, test_policy(), {}, summary), InputError);
  UpdateOptions restart;
  restart.new_fingerprint = true;
  const Baseline restarted = accept_run(b, spec, moved, test_policy(), restart, summary);
  EXPECT_EQ(restarted.cases.at(kCase).at("ttfa_mean_ms").size(), 1u);
  EXPECT_EQ(restarted.fingerprint.at("gpu"), "NVIDIA H100 80GB HBM3");
  const SuiteSpec asr{"riva-asr", "set", "^ASR/"};
  EXPECT_THROW(accept_run(std::nullopt, asr, run_with({10}), test_policy(), {}, summary), InputError);
}

// An SLA case's answer is gated higher-is-better, and none of its at_max.* level figures is: two runs may
// have found different levels, whose latencies are not comparable.
TEST(CommittedPolicy, MaxConcurrencyIsHigherIsBetterAndLevelFiguresAreNotGated) {
  const GatePolicy policy = read_policy(VOXPERF_SOURCE_DIR "/baselines/policy.json");
  ASSERT_TRUE(policy.counters.count("max_concurrency"));
  EXPECT_EQ(policy.counters.at("max_concurrency").better, Better::kHigher);
  EXPECT_GE(policy.counters.at("max_concurrency").absolute, 1.0);  // one stream is never noise
  for (const auto& [name, counter] : policy.counters) {
    EXPECT_NE(name.rfind("at_max.", 0), 0u) << name;
    EXPECT_NE(name.rfind("at_break.", 0), 0u) << name;
  }
  Baseline b = stored_baseline();
  b.cases.clear();
  b.cases["TTS/m/bs8/stream/sla"]["max_concurrency"] = {{86, 86, 84}, {88, 86, 86}, {84, 86, 86}};
  Results fewer;
  fewer.fingerprint = b.fingerprint;
  fewer.cases["TTS/m/bs8/stream/sla"].counters["max_concurrency"] = {40, 42, 40, 41, 40};
  fewer.cases["TTS/m/bs8/stream/sla"].repetitions = 5;
  auto c = compare_with_baseline(b, fewer, policy);
  EXPECT_EQ(row_for(c, "max_concurrency").verdict, Verdict::kRegressed);  // 86 -> 40 streams: fewer is worse
  fewer.cases["TTS/m/bs8/stream/sla"].counters["max_concurrency"] = {172, 170, 172, 171, 172};
  c = compare_with_baseline(b, fewer, policy);
  EXPECT_EQ(row_for(c, "max_concurrency").verdict, Verdict::kImproved);
}

}  // namespace
}  // namespace voxperf::gate
