// Which cases --benchmark_filter selects: the cases' own names, with Google Benchmark's rules.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "harness/input_error.h"
#include "perf_tests/case_selection.h"

namespace voxperf::bench {
namespace {

TEST(CaseSelection, MatchesTheCaseNamesThemselves) {
  const CaseSelection c16("c:16$");
  EXPECT_TRUE(c16.selected("TTS/Magpie/bs64/stream/c:16"));
  EXPECT_FALSE(c16.selected("TTS/Magpie/bs64/stream/c:160"));
  EXPECT_FALSE(c16.selected("TTS/Magpie/bs64/stream/c:16/instance:0"));
  EXPECT_TRUE(CaseSelection("Magpie/bs64").selected("TTS/Magpie/bs64/batch/c:1")) << "a search, not a full match";
}

TEST(CaseSelection, EmptyOrAllSelectsEverythingAndALeadingMinusNegates) {
  EXPECT_TRUE(CaseSelection("").selected("ASR/p/default/offline/c:4"));
  EXPECT_TRUE(CaseSelection("all").selected("ASR/p/default/offline/c:4"));
  const CaseSelection no_asr("-^ASR/");
  EXPECT_FALSE(no_asr.selected("ASR/p/default/offline/c:4"));
  EXPECT_TRUE(no_asr.selected("TTS/m/bs8/stream/c:1"));
}

TEST(CaseSelection, ABadRegexIsAnInputErrorNamingTheFlag) {
  try {
    CaseSelection("(");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("--benchmark_filter '('"), std::string::npos) << error.what();
  }
}

TEST(CaseSelection, TakesItsFlagsOutOfTheCommandLineAndLeavesTheRest) {
  std::vector<std::string> args = {"voxperf_bench", "--benchmark_filter=c:8$", "--targets", "t.json",
                                   "--benchmark_list_tests", "--benchmark_repetitions=3"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  const auto selection = CaseSelection::from_command_line(argc, argv.data());
  EXPECT_EQ(selection.filter(), "c:8$");
  EXPECT_TRUE(selection.list_only());
  ASSERT_EQ(argc, 4);
  EXPECT_STREQ(argv[1], "--targets");
  EXPECT_STREQ(argv[3], "--benchmark_repetitions=3");
  EXPECT_EQ(argv[4], nullptr);
}

TEST(CaseSelection, TheEnvironmentVariableStandsInForTheFlagAndIsThenUnset) {
  setenv("BENCHMARK_FILTER", "^TTS/", 1);
  std::string name = "voxperf_bench";
  char* argv[] = {name.data(), nullptr};
  int argc = 1;
  const auto selection = CaseSelection::from_command_line(argc, argv);
  EXPECT_EQ(selection.filter(), "^TTS/");
  EXPECT_EQ(std::getenv("BENCHMARK_FILTER"), nullptr) << "Google Benchmark must not apply it a second time";
}

TEST(CaseSelection, RunNamesLoseTheirIterationAndTimeParts) {
  benchmark::BenchmarkReporter::Run run;
  run.run_name.function_name = "TTS/m/bs8/stream/c:8";
  run.run_name.iterations = "iterations:1";
  run.run_name.time_type = "manual_time";
  strip_run_name(run);
  EXPECT_EQ(run.run_name.str(), "TTS/m/bs8/stream/c:8");
}

}  // namespace
}  // namespace voxperf::bench
