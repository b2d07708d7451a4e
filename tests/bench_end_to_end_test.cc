// voxperf_bench end to end: a targets file against the reference server (started by voxperf_bench itself),
// the results JSON with its counters and context, the Markdown tables, and cases that fail (an unreachable
// target, stalled streams, an unknown voice) while the run goes on.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "subprocess.h"

namespace voxperf::testing {
namespace {

class BenchEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf-bench-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs voxperf_bench on `targets`; returns its exit code, with its output in output_ and JSON in results_.
  int run(const std::string& targets, const std::vector<std::string>& extra_args = {}) {
    std::ofstream(dir_ / "targets.json") << targets;
    std::vector<std::string> args{VOXPERF_BENCH_BIN, "--targets", (dir_ / "targets.json").string(),
                                  "--benchmark_out=" + (dir_ / "results.json").string(), "--report-dir",
                                  (dir_ / "report").string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    const int code = exit_code(spawn(args, dir_ / "output.txt"), std::chrono::seconds(240));
    output_ = read_all(dir_ / "output.txt");
    if (fs::exists(dir_ / "results.json")) results_ = nlohmann::json::parse(read_all(dir_ / "results.json"));
    return code;
  }

  const nlohmann::json* find_case(const std::string& prefix) const {
    for (const auto& b : results_["benchmarks"]) {
      if (b["name"].get<std::string>().starts_with(prefix)) return &b;
    }
    return nullptr;
  }

  fs::path dir_;
  std::string output_;
  nlohmann::json results_;
};

TEST_F(BenchEndToEnd, MeasuresTheReferenceServerAndReportsCountersAndContext) {
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  ASSERT_EQ(run(R"({"targets": [
    {"model": "espeak-ng", "profile": "bs4", "kind": "riva_tts", "endpoint": "embedded", "modes": ["stream"],
     "concurrency": [2], "requests_per_window": 6, "warmup_requests": 1, "data": ")" + data + R"(tts_prompts.txt"},
    {"model": "pocketsphinx", "kind": "riva_asr", "endpoint": "embedded", "modes": ["offline"],
     "concurrency": [1], "requests_per_window": 2, "warmup_requests": 0, "data": ")" + data + R"(librivox.jsonl"}
  ]})"), 0) << output_;

  const auto* tts = find_case("TTS/espeak-ng/bs4/stream/c:2");
  ASSERT_NE(tts, nullptr) << output_;
  EXPECT_EQ((*tts)["requests"].get<double>(), 6);
  EXPECT_EQ((*tts)["errors"].get<double>(), 0);
  EXPECT_GT((*tts)["ttfa_mean_ms"].get<double>(), 0);
  EXPECT_LE((*tts)["ttfa_mean_ms"].get<double>(), (*tts)["latency_mean_ms"].get<double>());
  // RTFX over throughput is the audio of one request (audio s / window s over requests / window s), which does
  // not depend on the machine's speed: the prompts' espeak-ng audio is a few seconds each.
  const double audio_per_request = (*tts)["rtfx"].get<double>() / (*tts)["throughput_rps"].get<double>();
  EXPECT_GT(audio_per_request, 1.0);
  EXPECT_LT(audio_per_request, 10.0);
  EXPECT_TRUE(tts->contains("client_cpu_s"));
  EXPECT_TRUE(tts->contains("server_cpu_s"));

  const auto* asr = find_case("ASR/pocketsphinx/default/offline/c:1");
  ASSERT_NE(asr, nullptr) << output_;
  EXPECT_EQ((*asr)["requests"].get<double>(), 2);
  EXPECT_LT((*asr)["wer"].get<double>(), 0.5);
  // Counters that do not apply to a pipeline or mode are absent, not 0.
  EXPECT_FALSE(asr->contains("chars_per_s"));
  EXPECT_FALSE(asr->contains("server_tail_mean_ms")) << "offline";
  EXPECT_FALSE(tts->contains("wer"));
  // Results carry the cases' own names, the baselines' keys.
  EXPECT_EQ((*tts)["name"].get<std::string>(), "TTS/espeak-ng/bs4/stream/c:2");

  const auto& context = results_["context"];
  EXPECT_NE(context["server_config TTS/espeak-ng/bs4"].get<std::string>().find("\"max_batch_size\":\"4\""),
            std::string::npos);
  EXPECT_TRUE(context.contains("target ASR/pocketsphinx/default"));
  EXPECT_TRUE(context.contains("voxperf_version"));

  EXPECT_NE(output_.find("### TTS/espeak-ng/bs4/stream"), std::string::npos) << output_;
  EXPECT_NE(read_all(dir_ / "report/report.md").find("![TTS/espeak-ng/bs4/stream](TTS_espeak-ng_bs4_stream.svg)"),
            std::string::npos);
  EXPECT_NE(read_all(dir_ / "report/results.csv").find("\nTTS/espeak-ng/bs4/stream/c:2,TTS,espeak-ng,bs4,stream,2,6,6,0,"),
            std::string::npos) << read_all(dir_ / "report/results.csv");
  EXPECT_NE(read_all(dir_ / "report/ASR_pocketsphinx_default_offline.svg").find("<polyline"), std::string::npos);
  EXPECT_NE(output_.find("| Concurrency | Mean (ms) | P99 (ms) | Throughput (r/s) | RTFX | TTFA (ms)"),
            std::string::npos);
}

TEST_F(BenchEndToEnd, TheFilterMatchesCaseNamesAndAFilterThatMatchesNothingIsAnError) {
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  const std::string targets = R"({"targets": [
    {"model": "espeak-ng", "kind": "riva_tts", "endpoint": "embedded", "modes": ["batch"],
     "concurrency": [1, 2, 16], "requests_per_window": 2, "warmup_requests": 0, "data": ")" + data + R"(tts_prompts.txt"}]})";
  ASSERT_EQ(run(targets, {"--benchmark_filter=c:1$"}), 0) << output_;
  ASSERT_EQ(results_["benchmarks"].size(), 1u) << output_;
  EXPECT_EQ(results_["benchmarks"][0]["name"].get<std::string>(), "TTS/espeak-ng/default/batch/c:1");
  EXPECT_EQ(run(targets, {"--benchmark_list_tests"}), 0) << output_;
  EXPECT_NE(output_.find("TTS/espeak-ng/default/batch/c:2\nTTS/espeak-ng/default/batch/c:16\n"), std::string::npos)
      << output_;
  EXPECT_EQ(run(targets, {"--benchmark_filter=c:3$"}), 2) << output_;
  EXPECT_NE(output_.find("--benchmark_filter 'c:3$' matches none of the cases"), std::string::npos) << output_;
}

TEST_F(BenchEndToEnd, AnUnreachableTargetFailsItsCaseAndTheRunGoesOn) {
  setenv("VOXPERF_TEST_SECRET", "do-not-print-me", 1);
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  EXPECT_EQ(run(R"({"targets": [
    {"model": "parakeet-ctc-1.1b", "kind": "riva_asr", "endpoint": "127.0.0.1:1", "modes": ["offline"],
     "concurrency": [2], "requests_per_window": 4, "warmup_requests": 0, "deadline_ms": 5000,
     "metadata": {"authorization": "Bearer ${VOXPERF_TEST_SECRET}"}, "data": ")" + data + R"(librivox.jsonl"},
    {"model": "espeak-ng", "kind": "riva_tts", "endpoint": "embedded", "modes": ["batch"],
     "concurrency": [1], "requests_per_window": 3, "data": ")" + data + R"(tts_prompts.txt"}
  ]})"), 1) << output_;
  const auto* failed = find_case("ASR/parakeet-ctc-1.1b/default/offline/c:2");
  ASSERT_NE(failed, nullptr) << output_;
  EXPECT_EQ((*failed)["errors"].get<double>(), 4);
  EXPECT_EQ((*failed)["label"].get<std::string>(), "FAILED: errors 4 (UNAVAILABLE 4)");
  const auto* next = find_case("TTS/espeak-ng/default/batch/c:1");
  ASSERT_NE(next, nullptr) << "the run must go on: " << output_;
  EXPECT_EQ((*next)["errors"].get<double>(), 0);
  // The secret is sent, never written: neither in the output nor in the results.
  EXPECT_EQ(output_.find("do-not-print-me"), std::string::npos);
  EXPECT_EQ(results_.dump().find("do-not-print-me"), std::string::npos);
  EXPECT_NE(results_.dump().find("${VOXPERF_TEST_SECRET}"), std::string::npos);
}

TEST_F(BenchEndToEnd, StalledStreamsAndAnUnknownVoiceFailTheirCasesWithWhatTheyMeasured) {
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  // Every second stream stalls after its first chunk; the 2 s deadline ends it (a hang would fail run()).
  EXPECT_EQ(run(R"({"targets": [
    {"model": "espeak-ng", "profile": "bs4", "kind": "riva_tts", "endpoint": "embedded", "modes": ["stream"],
     "concurrency": [2], "requests_per_window": 4, "warmup_requests": 0, "deadline_ms": 2000,
     "data": ")" + data + R"(tts_prompts.txt"},
    {"model": "no-such-voice", "profile": "bs4", "kind": "riva_tts", "endpoint": "embedded", "modes": ["batch"],
     "voice": "English-US.Nobody", "concurrency": [1], "requests_per_window": 2, "warmup_requests": 0,
     "data": ")" + data + R"(tts_prompts.txt"}
  ]})", {"--inject-fault", "stall=0.5"}), 1) << output_;

  const auto* stalled = find_case("TTS/espeak-ng/bs4/stream/c:2");
  ASSERT_NE(stalled, nullptr) << output_;
  EXPECT_EQ((*stalled)["label"].get<std::string>(), "FAILED: errors 2 (DEADLINE_EXCEEDED 2)");
  EXPECT_EQ((*stalled)["requests"].get<double>(), 4);
  EXPECT_GT((*stalled)["ttfa_mean_ms"].get<double>(), 0) << "the streams that finished are still measured";
  EXPECT_GT((*stalled)["throughput_rps"].get<double>(), 0);

  const auto* unknown_voice = find_case("TTS/no-such-voice/bs4/batch/c:1");
  ASSERT_NE(unknown_voice, nullptr) << "the run must go on: " << output_;
  EXPECT_EQ((*unknown_voice)["label"].get<std::string>(), "FAILED: errors 2 (NOT_FOUND 2)");
  EXPECT_EQ(results_["context"]["injected_faults"].get<std::string>(), "stall=0.5");
  EXPECT_NE(output_.find("| 2 (DEADLINE_EXCEEDED 2) | 4 |"), std::string::npos) << output_;
}

TEST_F(BenchEndToEnd, AGroupOfInstancesIsMeasuredAloneAndAllAtOnce) {
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  ASSERT_EQ(run(R"({"targets": [
    {"model": "espeak-ng", "profile": "bs4", "kind": "riva_tts", "endpoints": ["embedded", "embedded"],
     "modes": ["batch"], "concurrency": [2], "requests_per_window": 6, "warmup_requests": 0,
     "data": ")" + data + R"(tts_prompts.txt"}
  ]})"), 0) << output_;
  // Two reference server processes, one per instance.
  EXPECT_NE(output_.find("(profile bs4, instance 1)"), std::string::npos) << output_;
  for (const char* alone : {"TTS/espeak-ng/bs4/batch/c:2/instance:0", "TTS/espeak-ng/bs4/batch/c:2/instance:1"}) {
    const auto* c = find_case(alone);
    ASSERT_NE(c, nullptr) << alone << output_;
    EXPECT_EQ((*c)["requests"].get<double>(), 6);
  }
  const auto* together = find_case("TTS/espeak-ng/bs4/batch/c:2/aggregate");
  ASSERT_NE(together, nullptr) << output_;
  EXPECT_EQ((*together)["requests"].get<double>(), 12) << "both instances' requests";
  EXPECT_EQ((*together)["instance0.requests"].get<double>(), 6);
  EXPECT_EQ((*together)["instance1.requests"].get<double>(), 6);
  EXPECT_GT((*together)["instance1.throughput_rps"].get<double>(), 0);
  EXPECT_NE(output_.find("### TTS/espeak-ng/bs4/batch: 2 instances at once\n\n| Concurrency/inst | Inst 0 Mean (ms) | "
                         "Inst 1 Mean (ms) | Inst 0 P99 (ms) | Inst 1 P99 (ms) | Inst 0 (r/s) | Inst 1 (r/s) | "
                         "Aggregate Throughput (r/s) | Errors |"),
            std::string::npos)
      << output_;
  EXPECT_NE(output_.find("### TTS/espeak-ng/bs4/batch (instance 1 alone)"), std::string::npos);
  EXPECT_NE(output_.find("### GPU: TTS/espeak-ng/bs4"), std::string::npos);
}

TEST_F(BenchEndToEnd, ABadInjectedFaultIsAnInputError) {
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  const std::string targets = R"({"targets": [
    {"model": "espeak-ng", "kind": "riva_tts", "endpoint": "embedded", "modes": ["batch"],
     "concurrency": [1], "requests_per_window": 1, "data": ")" + data + R"(tts_prompts.txt"}]})";
  EXPECT_EQ(run(targets, {"--inject-fault", "stall"}), 2);
  EXPECT_NE(output_.find("--inject-fault 'stall': expected NAME=VALUE"), std::string::npos) << output_;
  EXPECT_EQ(run(targets, {"--inject-fault", "stall=2"}), 2);
  EXPECT_NE(output_.find("--fault-stall"), std::string::npos) << output_;
}

// SLA searches over real traffic to the reference server, with bounds whose answers do not depend on the
// machine: one that every level meets up to max (probes 1, 2, 4: max_concurrency is max), and one that no
// level meets (throughput of a million requests/s: the first probe ends it). The report prints every probe.
TEST_F(BenchEndToEnd, SlaSearchesOverRealTrafficEndAtMaxOrAtTheFirstProbe) {
  const std::string data = std::string(VOXPERF_SOURCE_DIR) + "/data/";
  ASSERT_EQ(run(R"({"targets": [
    {"model": "espeak-ng", "profile": "bs4", "kind": "riva_tts", "endpoint": "embedded", "modes": ["batch"],
     "requests_per_window": 8, "warmup_requests": 1, "data": ")" + data + R"(tts_prompts.txt",
     "sla": {"latency_mean_ms": 600000}, "sla_search": {"min": 1, "max": 4}},
    {"model": "espeak-ng", "profile": "bs8", "kind": "http_speech", "endpoint": "embedded", "modes": ["audio"],
     "warmup_requests": 1, "data": ")" + data + R"(tts_prompts.txt",
     "sla": {"throughput_rps": {"min": 1000000}, "latency_p90_ms": 600000}, "sla_search": {"min": 2, "max": 64, "tail_samples": 2}}
  ]})"), 0) << output_;
  const auto* met = find_case("TTS/espeak-ng/bs4/batch/sla");
  ASSERT_NE(met, nullptr) << output_;
  EXPECT_EQ((*met)["max_concurrency"].get<double>(), 4);
  EXPECT_EQ((*met)["probes"].get<double>(), 3);
  EXPECT_FALSE(met->contains("broke_concurrency"));
  EXPECT_EQ((*met)["at_max.requests"].get<double>(), 8);
  EXPECT_EQ((*met)["at_max.errors"].get<double>(), 0);
  EXPECT_GT((*met)["at_max.throughput_rps"].get<double>(), 0);
  EXPECT_EQ((*met)["label"].get<std::string>(), "SLA: max concurrency 4, every level met it up to max 4 (the true limit may be higher)");
  const auto* none = find_case("HTTP-TTS/espeak-ng/bs8/audio/sla");
  ASSERT_NE(none, nullptr) << output_;
  EXPECT_EQ((*none)["max_concurrency"].get<double>(), 0);
  EXPECT_EQ((*none)["probes"].get<double>(), 1);
  EXPECT_EQ((*none)["broke_concurrency"].get<double>(), 2);
  EXPECT_EQ((*none)["at_break.requests"].get<double>(), 20);  // 2 beyond the P90: 2 / 0.1
  EXPECT_NE((*none)["label"].get<std::string>().find("SLA: not even c=2 met it (throughput_rps "), std::string::npos);
  const std::string report = read_all(dir_ / "report" / "report.md");
  EXPECT_NE(report.find("### TTS/espeak-ng/bs4/batch/sla: SLA search"), std::string::npos) << report;
  EXPECT_NE(report.find("| 3 | 4 |"), std::string::npos) << report;
  EXPECT_NE(report.find("Each probe has at least 20 requests (2 beyond the highest percentile bounded)"), std::string::npos);
}

}  // namespace
}  // namespace voxperf::testing
