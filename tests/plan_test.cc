// voxperf-plan's arithmetic: the NIM report's section 8 redone from its own tables (the committed scenario and
// hand-made results), then hand-made results for SLA cases, MIG aggregates, cost and break-even, and every
// figure a scenario needs but no results file has.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/input_error.h"
#include "tools/plan/capacity.h"
#include "tools/plan/measured_cases.h"
#include "tools/plan/plan_report.h"
#include "tools/plan/scenario.h"

namespace voxperf::plan {
namespace {

namespace fs = std::filesystem;

const PipelinePlan& by_key(const std::vector<PipelinePlan>& plans, const std::string& key) {
  for (const auto& p : plans) {
    if (p.demand->key == key) return p;
  }
  throw std::runtime_error("no plan " + key);
}

std::vector<PipelinePlan> plan_all(const Scenario& s) {
  const MeasuredCases cases(s.results);
  std::vector<PipelinePlan> plans;
  for (const auto& d : s.pipelines) plans.push_back(plan_pipeline(s, d, cases));
  return plans;
}

TEST(CapacityPlan, TheNimReportsSectionEightFromItsOwnTables) {
  const Scenario s = load_scenario(VOXPERF_SOURCE_DIR "/targets/plan-5000-conversations.json");
  const auto plans = plan_all(s);
  const auto& asr = by_key(plans, "asr");
  EXPECT_EQ(asr.demand_streams, 5000);
  EXPECT_EQ(asr.measured.value, 256);  // every level met the tail bound: the largest measured
  EXPECT_EQ(asr.planned, 204u);        // 20 % headroom: the report's "about 200, conservative"
  EXPECT_EQ(asr.gpus, 25u);            // the report: 5,000 / 200 = 25 ASR GPUs
  ASSERT_EQ(asr.variants.size(), 2u);
  EXPECT_EQ(asr.variants[0].gpus, 7u);  // "or 7 multi-instance"
  EXPECT_FALSE(asr.variants[0].measured);
  EXPECT_TRUE(asr.variants[1].measured);  // MIG from the measured aggregate: 90.9 / 45.9 r/s
  EXPECT_NEAR(asr.variants[1].scaling, 90.9 / 45.9, 1e-12);
  EXPECT_EQ(asr.variants[1].gpus, 13u);  // the report: 25 / 2 = ~13 with MIG
  const auto& magpie = by_key(plans, "magpie");
  EXPECT_EQ(magpie.demand_streams, 1750);
  EXPECT_EQ(magpie.measured.value, 32);  // peak throughput (5.2 r/s) within TTFT < 500 ms
  EXPECT_EQ(magpie.gpus, 55u);           // the report: 1,750 / 32 = ~55
  const auto& fastpitch = by_key(plans, "fastpitch");
  EXPECT_EQ(fastpitch.measured.value, 64);
  EXPECT_EQ(fastpitch.gpus, 28u);  // the report: 1,750 / 64 = ~28
  EXPECT_EQ(fastpitch.variants.at(0).gpus, 7u);
  // The report's own TTFT target, applied to FastPitch: c=16 broke it (663 ms), so 8 per GPU.
  const auto& at_target = by_key(plans, "fastpitch-at-target");
  EXPECT_EQ(at_target.measured.value, 8);
  EXPECT_EQ(at_target.gpus, 219u);
  const std::string md = plan_markdown(s, plans, "seed");
  EXPECT_NE(md.find("| MagpieTTS (multilingual) | 25 (7 with 4 instances per GPU, 13 with MIG 3g.40gb x 2) | 55 | "
                    "62-80 | 1:2.2 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| FastPitch (English-only) | 25 (7 with 4 instances per GPU, 13 with MIG 3g.40gb x 2) | 28 (7 with "
                    "4 instances per GPU) | 14-53 | 1:1.1 |"),
            std::string::npos);
  // Every figure cites its case and counter.
  EXPECT_NE(md.find("`TTS/Magpie/bs64/stream/c:32` concurrency"), std::string::npos);
  EXPECT_NE(md.find("c=16 broke: ttfa_mean_ms 663 > 500"), std::string::npos);
}

// Hand-made results and scenarios in a folder of their own.
class HandMadePlan : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf-plan-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  // A results file of `runs`: {"name": ..., counters ...} objects.
  fs::path results(const std::string& name, const std::string& runs) {
    return write(name, R"({"context": {}, "benchmarks": [)" + runs + "]}");
  }
  Scenario scenario(const std::string& pipelines, const std::string& rows, const std::string& extra = "") {
    return load_scenario(write("scenario.json", R"({"title": "t", "conversations": 1000, "results": ["r.json"], )" + extra +
                                                    R"("pipelines": {)" + pipelines + R"(}, "scenarios": [)" + rows + "]}"));
  }
  std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(HandMadePlan, AnSlaCaseGivesTheLevelAndItsRateGivesCostAndBreakEven) {
  results("r.json", R"x({"name": "TTS/m/p/audio/sla", "max_concurrency": 12, "at_max.chars_per_s": 100,
                        "at_max.throughput_rps": 2, "label": "SLA: max concurrency 12 (c=13 broke: rtf_p95 1.1 > 1)"})x");
  const Scenario s = scenario(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "share": 0.5, "cloud_price_usd": 4})",
                              R"({"name": "only", "pipelines": ["tts"]})",
                              R"("gpu": {"name": "box", "hourly_price_usd": 0.1, "hardware_price_usd": 1000}, )");
  const auto plans = plan_all(s);
  const auto& p = plans.at(0);
  EXPECT_TRUE(p.from_sla_case);
  EXPECT_EQ(p.planned, 12u);
  EXPECT_EQ(p.gpus, 42u);  // ceil(500 / 12)
  ASSERT_TRUE(p.cost);
  EXPECT_NEAR(p.cost->units_per_gpu_day, 8.64e6, 1e-6);         // 100 chars/s x 86,400 s
  EXPECT_NEAR(*p.cost->own_cost, 0.1 * 24 / 8.64, 1e-12);        // per 1M characters
  EXPECT_NEAR(*p.cost->cloud_ratio, 4 / (0.1 * 24 / 8.64), 1e-9);
  EXPECT_NEAR(*p.cost->break_even_days, 1000 / (8.64 * (4 - 0.1 * 24 / 8.64)), 1e-9);
  const std::string md = plan_markdown(s, plans, "r.json");
  EXPECT_NE(md.find("max_concurrency of the SLA search TTS/m/p/audio/sla (SLA: max concurrency 12"), std::string::npos) << md;
  EXPECT_NE(md.find("`TTS/m/p/audio/sla` at_max.chars_per_s"), std::string::npos);
  EXPECT_NE(md.find("**$0.28 per 1M characters**"), std::string::npos) << md;
  EXPECT_NE(md.find("**31.1 days**"), std::string::npos) << md;
}

TEST_F(HandMadePlan, HeadroomScalesTheRateAndACostlyGpuNeverBreaksEven) {
  results("r.json", R"({"name": "ASR/m/p/stream/c:10", "throughput_rps": 1, "rtfx": 10, "errors": 0})");
  const Scenario s = scenario(R"("asr": {"role": "asr", "cases": "ASR/m/p/stream", "headroom_percent": 50, "cloud_price_usd": 1})",
                              R"({"name": "only", "pipelines": ["asr"]})",
                              R"("gpu": {"hourly_price_usd": 10, "hardware_price_usd": 1000}, )");
  const auto& p = plan_all(s).at(0);
  EXPECT_EQ(p.planned, 5u);
  EXPECT_EQ(p.gpus, 200u);
  EXPECT_NEAR(p.cost->units_per_gpu_day, 10 * 0.5 * 24, 1e-9);  // audio hours: rtfx x planned/measured x 24 h
  EXPECT_NEAR(*p.cost->own_cost, 10.0 / 5, 1e-12);               // $10 per hour / 5 audio hours per hour
  EXPECT_TRUE(p.cost->never_breaks_even);
  EXPECT_FALSE(p.cost->break_even_days);
}

TEST_F(HandMadePlan, MigScalingIsTheMeasuredAggregateCappedAtTheSliceCount) {
  results("r.json", R"({"name": "ASR/m/mig/offline/c:8/aggregate", "throughput_rps": 90},
                       {"name": "ASR/m/mig/offline/c:8/instance:0", "throughput_rps": 40},
                       {"name": "ASR/m/mig/offline/c:8/instance:1", "throughput_rps": 41},
                       {"name": "ASR/m/p/stream/c:4", "throughput_rps": 1, "errors": 0},
                       {"name": "ASR/m/p/stream/c:8", "throughput_rps": 2, "errors": 0},
                       {"name": "ASR/m/p/stream/c:16", "throughput_rps": 2, "errors": 3})");
  const Scenario s = scenario(R"("asr": {"role": "asr", "cases": "ASR/m/p/stream", "multi_instance": [
      {"name": "MIG x2", "instances_per_gpu": 2, "aggregate_case": "ASR/m/mig/offline/c:8/aggregate",
       "alone_case": "ASR/m/mig/offline/c:8/instance:0"},
      {"name": "MIG x3", "instances_per_gpu": 3, "aggregate_case": "ASR/m/mig/offline/c:8/aggregate",
       "alone_case": "ASR/m/mig/offline/c:8/instance:0"}]})",
                              R"({"name": "only", "pipelines": ["asr"]})");
  const auto& p = plan_all(s).at(0);
  EXPECT_EQ(p.measured.value, 8);  // c=16 had errors: it broke the SLA (no bounds, but no errors)
  EXPECT_EQ(p.levels.at(2).broken, "errors: 3");
  EXPECT_EQ(p.gpus, 125u);
  EXPECT_EQ(p.variants[0].scaling, 2.0);  // 90 / 40 = 2.25, capped at 2 slices
  EXPECT_NE(p.variants[0].scaling_text.find("capped at 2 instances"), std::string::npos);
  EXPECT_EQ(p.variants[0].gpus, 63u);     // 16 per GPU
  EXPECT_EQ(p.variants[1].scaling, 2.25);  // three slices deliver only 2.25 x
  EXPECT_EQ(p.variants[1].per_gpu, 18u);
  EXPECT_EQ(p.variants[1].gpus, 56u);
  EXPECT_FALSE(p.cost);  // no rtfx measured, and no price asked for it
}

TEST_F(HandMadePlan, AFigureNoResultsFileHasIsAnErrorThatNamesIt) {
  results("r.json", R"({"name": "TTS/m/p/audio/c:4", "throughput_rps": 2, "errors": 0, "ttfa_mean_ms": 100},
                       {"name": "TTS/m/p/audio/c:8", "throughput_rps": 2, "errors": 0, "ttfa_mean_ms": 900},
                       {"name": "TTS/m/q/audio/sla", "max_concurrency": 0, "label": "SLA: not even c=1 met it"})");
  auto plan_of = [&](const std::string& pipeline, const std::string& extra = "") {
    return error_of([&] { plan_all(scenario(pipeline, R"({"name": "x", "pipelines": ["tts"]})", extra)); });
  };
  EXPECT_NE(plan_of(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "cloud_price_usd": 4})")
                .find("case TTS/m/p/audio/c:8 in " + (dir_ / "r.json").string() + " has no counter chars_per_s, which the scenario needs"),
            std::string::npos);
  EXPECT_NE(plan_of(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "sla": {"ttfb_p95_ms": 2000}})")
                .find("has no counter ttfb_p95_ms"), std::string::npos);
  EXPECT_NE(plan_of(R"("tts": {"role": "tts", "cases": "TTS/m/x/audio"})")
                .find("pipelines.tts.cases: no results file has TTS/m/x/audio/sla or any TTS/m/x/audio/c:N case"),
            std::string::npos);
  EXPECT_NE(plan_of(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "sla": {"ttfa_mean_ms": 50}})")
                .find("pipelines.tts: no measured level of TTS/m/p/audio met the SLA (ttfa_mean_ms <= 50): c=4 broke: "
                      "ttfa_mean_ms 100 > 50"), std::string::npos);
  EXPECT_NE(plan_of(R"("tts": {"role": "tts", "cases": "TTS/m/q/audio"})").find("found no level that met its SLA"),
            std::string::npos);
  EXPECT_NE(plan_of(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "multi_instance": [{"name": "x2", "instances_per_gpu": 2,
      "aggregate_case": "TTS/m/p/audio/c:4/aggregate", "alone_case": "TTS/m/p/audio/c:4/instance:0"}]})")
                .find("no results file has case TTS/m/p/audio/c:4/aggregate"), std::string::npos);
}

TEST_F(HandMadePlan, AnExactCaseIsTakenAsItIsAndAnSlaItBreaksIsSaid) {
  results("r.json", R"({"name": "TTS/m/p/audio/c:8", "throughput_rps": 2, "errors": 0, "ttfa_mean_ms": 900})");
  const auto plans = plan_all(scenario(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio/c:8", "sla": {"ttfa_mean_ms": 500}})",
                                       R"({"name": "x", "pipelines": ["tts"]})"));
  EXPECT_EQ(plans.at(0).planned, 8u);
  EXPECT_EQ(plans.at(0).warning, "TTS/m/p/audio/c:8 does not meet the scenario's SLA: ttfa_mean_ms 900 > 500");
}

TEST_F(HandMadePlan, ScenarioMistakesNameTheField) {
  results("r.json", R"({"name": "TTS/m/p/audio/c:8", "throughput_rps": 2})");
  auto error = [&](const std::string& pipelines, const std::string& rows) {
    return error_of([&] { scenario(pipelines, rows); });
  };
  const std::string tts = R"("tts": {"role": "tts", "cases": "TTS/m/p/audio"})";
  EXPECT_NE(error(R"("tts": {"role": "vocoder", "cases": "TTS/m/p/audio"})", R"({"name": "x", "pipelines": ["tts"]})")
                .find("pipelines.tts.role: 'vocoder' is not one of asr, tts, llm"), std::string::npos);
  EXPECT_NE(error(tts, R"({"name": "x", "pipelines": ["asr"]})").find("scenarios[0].pipelines: 'asr' is not one of"),
            std::string::npos);
  EXPECT_NE(error(tts + R"(, "t2": {"role": "tts", "cases": "TTS/m/p/audio"})", R"({"name": "x", "pipelines": ["tts", "t2"]})")
                .find("two TTS pipelines in one scenario"), std::string::npos);
  EXPECT_NE(error(R"("tts": {"role": "tts", "cases": "TTS/m"})", R"({"name": "x", "pipelines": ["tts"]})")
                .find("pipelines.tts.cases: 'TTS/m' must name"), std::string::npos);
  EXPECT_NE(error(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "share": 1.5})", R"({"name": "x", "pipelines": ["tts"]})")
                .find("pipelines.tts.share"), std::string::npos);
  EXPECT_NE(error(R"("tts": {"role": "tts", "cases": "TTS/m/p/audio", "multi_instance": [{"name": "x", "instances_per_gpu": 2,
      "aggregate_case": "a/b/c/d"}]})", R"({"name": "x", "pipelines": ["tts"]})").find("aggregate_case and alone_case go together"),
            std::string::npos);
  EXPECT_NE(error(tts + R"(, "speed": 2)", R"({"name": "x", "pipelines": ["tts"]})").find("speed"), std::string::npos);
}

TEST(PlanReport, NumbersAreGroupedAsTheReportWritesThem) {
  EXPECT_EQ(grouped(5000), "5,000");
  EXPECT_EQ(grouped(1750.0, 1), "1,750");
  EXPECT_EQ(grouped(12.25, 1), "12.2");  // printf rounding, to even at the half
  EXPECT_EQ(grouped(1234567.891, 2), "1,234,567.89");
  EXPECT_EQ(grouped(999), "999");
  EXPECT_EQ(grouped(-4200), "-4,200");
}

}  // namespace
}  // namespace voxperf::plan
