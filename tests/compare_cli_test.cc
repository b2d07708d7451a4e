// voxperf-compare as CI calls it: exit codes (0 passed, 1 failed, 3 unconfirmed regressions, 2 bad input),
// the summaries it writes, and --accept refusing an invalid run without touching the baseline.
#include <gtest/gtest.h>

#include "subprocess.h"

namespace voxperf::testing {
namespace {

// A results file in Google Benchmark's layout: one case, `ttfa` per repetition, `errors` in the last one.
std::string results_json(const std::vector<double>& ttfa, int errors = 0) {
  std::string runs;
  for (std::size_t i = 0; i < ttfa.size(); ++i) {
    runs += std::string(i ? "," : "") + R"({"name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time",
      "run_name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time", "run_type": "iteration",
      "ttfa_mean_ms": )" + std::to_string(ttfa[i]) + R"(, "errors": )" +
            std::to_string(i + 1 == ttfa.size() ? errors : 0) + "}";
  }
  return R"({"context": {"voxperf_version": "0.1.0"}, "benchmarks": [)" + runs + "]}";
}

// An A/B results file of that case and its samples file (R.samples.jsonl): per repetition 4 requests,
// the baseline's at 10 ms +- 0.2, the candidate's multiplied by `factor` and by 0.97, 1 or 1.03 in turn.
std::pair<std::string, std::string> ab_json(std::size_t repetitions, double base_factor) {
  std::string runs, samples;
  for (std::size_t i = 0; i < repetitions; ++i) {
    const double factor = base_factor * (1.0 + 0.03 * (static_cast<double>(i % 3) - 1.0));
    auto values = [&](double scale) {
      return "[" + std::to_string(9.8 * scale) + "," + std::to_string(10.0 * scale) + "," +
             std::to_string(10.1 * scale) + "," + std::to_string(10.2 * scale) + "]";
    };
    runs += std::string(i ? "," : "") + R"({"name": "TTS/m/bs8/stream/c:8/iterations:1/manual_time",
      "run_type": "iteration", "ttfa_mean_ms": )" + std::to_string(10.025 * factor) +
            R"(, "baseline.ttfa_mean_ms": 10.025, "requests": 4, "baseline.requests": 4, "errors": 0, "baseline.errors": 0})";
    samples += R"({"case": "TTS/m/bs8/stream/c:8", "side": "baseline.", "samples": {"ttfa": )" + values(1.0) + "}}\n";
    samples += R"({"case": "TTS/m/bs8/stream/c:8", "side": "", "samples": {"ttfa": )" + values(factor) + "}}\n";
  }
  return {R"({"context": {"voxperf_version": "0.1.0"}, "benchmarks": [)" + runs + "]}", samples};
}

class CompareCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf-compare-cli-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    write("policy.json", R"({"counters": {"ttfa_mean_ms": {"better": "lower", "relative": 0.05}}})");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  int compare(std::vector<std::string> args) {
    args.insert(args.begin(), {VOXPERF_COMPARE_BIN, "--policy", (dir_ / "policy.json").string()});
    const int code = exit_code(spawn(args, dir_ / "output.txt"));
    output_ = read_all(dir_ / "output.txt");
    return code;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
  std::string output_;
};

TEST_F(CompareCli, AcceptsRunsThenGatesARegressionWithExitCodes) {
  const std::string baseline = path("baselines/riva-tts/set.json");
  for (int run = 0; run < 3; ++run) {
    write("good.json", results_json({10.0 + run * 0.1, 10.2, 10.1, 9.9, 10.0}));
    ASSERT_EQ(compare({path("good.json"), "--accept", "--baseline", baseline, "--suite", "riva-tts",
                       "--target-set", "set", "--filter", "^TTS/"}),
              0)
        << output_;
  }
  EXPECT_NE(output_.find("accepted"), std::string::npos) << output_;

  write("same.json", results_json({10.1, 10.0, 10.2, 9.9, 10.1}));
  EXPECT_EQ(compare({path("same.json"), "--baseline", baseline, "--junit", path("junit.xml")}), 0) << output_;
  EXPECT_TRUE(output_.ends_with("1 passed, 0 failed\n")) << output_;

  write("slow.json", results_json({13.0, 13.2, 12.9, 13.1, 13.0}));
  EXPECT_EQ(compare({path("slow.json"), "--baseline", baseline, "--rerun-filter", path("filter"),
                     "--json", path("summary.json")}),
            3)
      << "a regression not yet confirmed: " << output_;
  EXPECT_NE(output_.find("| TTS/m/bs8/stream/c:8 | ttfa_mean_ms |"), std::string::npos) << output_;
  EXPECT_EQ(read_all(dir_ / "filter"), "^(TTS/m/bs8/stream/c:8)(/|$)");
  EXPECT_NE(read_all(dir_ / "summary.json").find("\"verdict\": \"REGRESSED\""), std::string::npos);
  EXPECT_EQ(compare({path("slow.json"), "--baseline", baseline, "--confirm", path("slow.json")}), 1) << output_;
  EXPECT_EQ(compare({path("slow.json"), "--baseline", baseline, "--mode", "report"}), 0) << output_;
  EXPECT_TRUE(output_.ends_with("0 passed, 1 failed\n")) << output_;

  // An invalid run is refused and the baseline stays as it was.
  const std::string before = read_all(baseline);
  write("errors.json", results_json({10.0, 10.1, 10.2}, 2));
  EXPECT_EQ(compare({path("errors.json"), "--accept", "--baseline", baseline}), 2) << output_;
  EXPECT_NE(output_.find("not accepted into the baseline"), std::string::npos) << output_;
  EXPECT_EQ(read_all(baseline), before);
  EXPECT_EQ(compare({path("errors.json"), "--baseline", baseline}), 1) << "errors are invalid, never a rerun";
}

TEST_F(CompareCli, AbLooksArePooledUntilDecided) {
  write("policy.json", R"({"ab": {"repetitions_per_look": 4, "max_looks": 4},
    "counters": {"ttfa_mean_ms": {"better": "lower", "relative": 0.05}}})");
  // Four pairs: 16 ways to swap them, so no labelling is rarer than 1 in 16, and the levels are 0.01 / 4
  // (REGRESSED, 1 in 400) and 0.05 / 4 (PASS, 1 in 80): the randomization tests cannot decide yet; exit 4
  // and the filter.
  auto [look1, samples1] = ab_json(4, 1.0);
  write("look-1.json", look1);
  write("look-1.samples.jsonl", samples1);
  EXPECT_EQ(compare({path("look-1.json"), "--ab", "--more-filter", path("more")}), 4) << output_;
  EXPECT_EQ(read_all(dir_ / "more"), "^(TTS/m/bs8/stream/c:8)(/|$)");
  EXPECT_NE(output_.find("UNDECIDED (4 of 16 repetitions: measure more)"), std::string::npos) << output_;
  // Three looks more of the same (no change), in one file: pooled, 16 pairs, a 10 % regression is ruled out.
  auto [look2, samples2] = ab_json(12, 1.0);
  write("look-2.json", look2);
  write("look-2.samples.jsonl", samples2);
  EXPECT_EQ(compare({path("look-1.json"), path("look-2.json"), "--ab", "--more-filter", path("more")}), 0) << output_;
  EXPECT_NE(output_.find("| PASS |"), std::string::npos) << output_;
  EXPECT_NE(output_.find("(16) | PASS"), std::string::npos) << output_;
  EXPECT_EQ(read_all(dir_ / "more"), "");
  // Without its samples file the A/B gate refuses, naming the file it looked for.
  fs::remove(dir_ / "look-2.samples.jsonl");
  EXPECT_EQ(compare({path("look-1.json"), path("look-2.json"), "--ab"}), 2);
  EXPECT_NE(output_.find("look-2.samples.jsonl: no per-request samples file"), std::string::npos) << output_;
  // Several files are looks of an A/B gate only.
  EXPECT_EQ(compare({path("look-1.json"), path("look-2.json"), "--baseline", path("b.json")}), 2);
}

TEST_F(CompareCli, BadInputExitsTwoNamingTheFile) {
  write("results.json", results_json({10.0}));
  EXPECT_EQ(compare({path("results.json"), "--baseline", path("absent.json")}), 2);
  EXPECT_NE(output_.find("absent.json: no such baseline"), std::string::npos) << output_;
  write("policy.json", R"({"counters": {"ttfa_mean_ms": {"better": "sideways"}}})");
  EXPECT_EQ(compare({path("results.json"), "--ab"}), 2);
  EXPECT_NE(output_.find("policy.json: counters.ttfa_mean_ms.better"), std::string::npos) << output_;
  write("policy.json", R"({"ab": {"beta": 1.5}, "counters": {"ttfa_mean_ms": {"better": "lower"}}})");
  EXPECT_EQ(compare({path("results.json"), "--ab"}), 2);
  EXPECT_NE(output_.find("policy.json: ab.beta: must be between 0 and 1"), std::string::npos) << output_;
}

}  // namespace
}  // namespace voxperf::testing
