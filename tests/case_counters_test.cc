// Counters through a whole voxperf_bench case: a fake Riva server answers on a script of delays, statuses and
// transcripts; the case (client, driver, metrics, Google Benchmark counters, report table) runs against it
// with a ScriptedClock that the server moves; every counter must equal what the script implies.
#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "harness/pipelines/registry.h"
#include "harness/pipelines/riva_asr/asr_pipeline.h"
#include "harness/pipelines/riva_tts/tts_pipeline.h"
#include "harness/timer_queue.h"
#include "mocks/fake_riva_server.h"
#include "mocks/scripted_clock.h"
#include "perf_tests/target_cases.h"

namespace voxperf::bench {
namespace {

using namespace std::chrono_literals;
using mocks::AsrStream;
using mocks::ScriptedClock;
using mocks::TtsStream;
using Run = benchmark::BenchmarkReporter::Run;
namespace asr = nvidia::riva::asr;
namespace tts = nvidia::riva::tts;

constexpr int kRate = 16000;       // TTS output and ASR input sample rate in these scripts
constexpr double kNear = 1e-9;     // counters are doubles computed from exact nanosecond stamps

class CapturingReporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override { runs_.insert(runs_.end(), runs.begin(), runs.end()); }
  std::vector<Run> runs_;
};

// Runs the registered cases of `run` at concurrency 1, the clock in lockstep with the fake server.
struct CaseResult {
  Run run;
  ResultTable table;
  double counter(const std::string& name) const {
    const auto it = run.counters.find(name);
    return it == run.counters.end() ? std::nan("") : it->second.value;
  }
};

CaseResult run_one_case(TargetRun& run, const Clock& clock) {
  CaseResult result;
  ThreadTimerQueue timers;
  register_target_cases(run, timers, result.table, clock);
  CapturingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();
  EXPECT_EQ(reporter.runs_.size(), 1u);
  if (!reporter.runs_.empty()) result.run = reporter.runs_.front();
  return result;
}

// A target of `kind` at the fake server, one case: `mode` at concurrency 1.
std::unique_ptr<TargetRun> scripted_target(const std::string& kind, const std::string& mode, std::size_t requests,
                                           const mocks::FakeServer& server) {
  auto run = std::make_unique<TargetRun>();
  run->target.model = "scripted";
  run->target.kind = kind;
  run->target.pipeline = find_pipeline(kind);
  run->target.modes = {mode};
  run->target.concurrency = {1};
  run->target.requests_per_window = requests;
  run->target.warmup_requests = 0;
  run->target.channels = 1;
  run->address = server.address();
  return run;
}

std::unique_ptr<TargetRun> scripted_tts(const std::string& mode, std::size_t requests, const mocks::FakeServer& server,
                                        std::vector<Prompt> prompts) {
  auto run = scripted_target("riva_tts", mode, requests, server);
  auto settings = std::make_shared<RivaTtsTargetSettings>();
  settings->sample_rate_hz = kRate;
  run->target.settings = settings;
  run->opened = std::make_unique<RivaTtsTarget>(run->target, std::make_unique<ChannelPool>(server.endpoint()),
                                                std::move(prompts));
  return run;
}

std::unique_ptr<TargetRun> scripted_asr(const std::string& mode, std::size_t requests, const mocks::FakeServer& server,
                                        std::vector<Utterance> utterances) {
  auto run = scripted_target("riva_asr", mode, requests, server);
  auto settings = std::make_shared<RivaAsrTargetSettings>();
  settings->chunk = 100ms;
  settings->real_time = false;  // paced chunks wait on real timers; the script moves the clock instead
  run->target.settings = settings;
  run->opened = std::make_unique<RivaAsrTarget>(run->target, std::make_unique<ChannelPool>(server.endpoint()),
                                                std::move(utterances));
  return run;
}

std::string silence(double seconds) { return std::string(static_cast<std::size_t>(seconds * kRate) * 2, '\0'); }

// --- TTS -------------------------------------------------------------------------------------------------

struct TtsChunk {
  Nanos after;           // since the previous response (or the request)
  double audio_seconds;  // 0: an empty header chunk, which TTFA and inter-chunk must skip
};
struct TtsScript {
  std::vector<TtsChunk> chunks;
  Nanos end_after{0};  // from the last chunk to the end of the call
  grpc::StatusCode status = grpc::StatusCode::OK;
};

TEST(CaseCounters, StreamingTtsCountersEqualTheScriptedTimings) {
  ScriptedClock clock;
  // Played in order, one request at a time: ms after the request, seconds of audio.
  const std::map<std::string, TtsScript> scripts{
      {"alpha prompt", {{{5ms, 0.0}, {15ms, 0.1}, {10ms, 0.2}, {20ms, 0.1}}, 0ms}},  // audio at 20, 30, 50 ms
      {"bravo", {{{40ms, 0.3}, {60ms, 0.1}}, 3ms}},                                     // at 40, 100; ends at 103
      {"charlie", {{}, 5ms, grpc::StatusCode::UNAVAILABLE}},                            // fails after 5 ms
      {"delta prompt", {{{10ms, 0.2}}, 0ms}},                                           // at 10 ms
  };
  ::testing::NiceMock<mocks::MockRivaTts> service;
  ON_CALL(service, SynthesizeOnline).WillByDefault([&](grpc::ServerContext*, TtsStream* stream) {
    tts::SynthesizeSpeechRequest request;
    if (!stream->Read(&request)) return grpc::Status(grpc::StatusCode::INTERNAL, "no request");
    const TtsScript& script = scripts.at(request.text());
    for (const auto& chunk : script.chunks) {
      tts::SynthesizeSpeechResponse response;
      response.set_audio(silence(chunk.audio_seconds));
      const auto mark = clock.advance(chunk.after);
      stream->Write(response);
      EXPECT_TRUE(clock.wait_for_read(mark)) << "the client never recorded a chunk";
    }
    clock.advance(script.end_after);
    return grpc::Status(script.status, script.status == grpc::StatusCode::OK ? "" : "scripted failure");
  });
  mocks::FakeServer server({&service});
  auto run = scripted_tts("stream", 4, server, {{"a", "alpha prompt"}, {"b", "bravo"}, {"c", "charlie"}, {"d", "delta prompt"}});

  const auto result = run_one_case(*run, clock);

  EXPECT_EQ(result.run.run_name.function_name, "TTS/scripted/default/stream/c:1");
  EXPECT_EQ(result.run.report_label, "FAILED: errors 1 (UNAVAILABLE 1)");
  const double window = 0.050 + 0.103 + 0.005 + 0.010;  // first request sent to last ended
  EXPECT_NEAR(result.run.real_accumulated_time, window, kNear);  // the case's manual time is the window
  EXPECT_EQ(result.counter("requests"), 4);
  EXPECT_EQ(result.counter("errors"), 1);
  // Latency ends at the last response: 50, 100 and 10 ms; the failed request is left out.
  EXPECT_NEAR(result.counter("latency_mean_ms"), 160.0 / 3, kNear);
  EXPECT_NEAR(result.counter("latency_p50_ms"), 50, kNear);
  EXPECT_NEAR(result.counter("latency_p90_ms"), 90, kNear);  // linear between 50 and 100 at rank 1.8
  EXPECT_NEAR(result.counter("latency_p99_ms"), 99, kNear);
  // TTFA 20 (the empty header at 5 ms does not count), 40, 10.
  EXPECT_NEAR(result.counter("ttfa_mean_ms"), 70.0 / 3, kNear);
  EXPECT_NEAR(result.counter("ttfa_p99_ms"), 20 + 0.98 * 20, kNear);
  // Gaps between audio chunks: 10 and 20 (alpha), 60 (bravo).
  EXPECT_NEAR(result.counter("inter_chunk_mean_ms"), 30, kNear);
  EXPECT_NEAR(result.counter("inter_chunk_p99_ms"), 20 + 0.98 * 40, kNear);
  EXPECT_NEAR(result.counter("throughput_rps"), 3 / window, kNear);
  EXPECT_NEAR(result.counter("rtfx"), (0.4 + 0.4 + 0.2) / window, kNear);  // audio of completed requests
  EXPECT_NEAR(result.counter("chars_per_s"), (12.0 + 5 + 12) / window, kNear);
  EXPECT_TRUE(std::isnan(result.counter("server_tail_mean_ms")));  // an ASR counter: absent
  EXPECT_TRUE(std::isnan(result.counter("wer")));
  // The report row says the same, rounded as the NIM report rounds.
  EXPECT_NE(result.table.markdown().find("| 1 | 53.3 | 99.0 | 17.86 | 6.0x | 23.3 | 39.6 | 30.0 | "
                                         "1 (UNAVAILABLE 1) | 4 |"),
            std::string::npos)
      << result.table.markdown();
}

// A GPU that always reads the same: one H100 at 40 % and 300 W, 16 GiB used; no SM clock given.
class SteadyGpu final : public telemetry::GpuSource {
 public:
  std::string describe() const override { return "steady"; }
  std::vector<telemetry::GpuReading> read() override {
    telemetry::GpuReading r;
    r.name = "NVIDIA H100 80GB HBM3";
    r.utilization_pct = 40;
    r.memory_used_mib = 16384;
    r.power_w = 300;
    r.temperature_c = 55;
    return {r};
  }
};

TEST(CaseCounters, BatchTtsCountersEqualTheScriptedTimings) {
  ScriptedClock clock;
  const std::map<std::string, TtsScript> scripts{
      {"one", {{{30ms, 0.5}}}},
      {"two", {{{70ms, 1.0}}}},
      {"three", {{}, 2ms, grpc::StatusCode::RESOURCE_EXHAUSTED}},
  };
  ::testing::NiceMock<mocks::MockRivaTts> service;
  ON_CALL(service, Synthesize)
      .WillByDefault([&](grpc::ServerContext*, const tts::SynthesizeSpeechRequest* request,
                         tts::SynthesizeSpeechResponse* response) {
        const TtsScript& script = scripts.at(request->text());
        for (const auto& chunk : script.chunks) {
          clock.advance(chunk.after);
          response->set_audio(silence(chunk.audio_seconds));
        }
        clock.advance(script.end_after);
        return grpc::Status(script.status, script.status == grpc::StatusCode::OK ? "" : "scripted failure");
      });
  mocks::FakeServer server({&service});
  auto run = scripted_tts("batch", 3, server, {{"1", "one"}, {"2", "two"}, {"3", "three"}});
  run->gpu = std::make_shared<SteadyGpu>();

  const auto result = run_one_case(*run, clock);

  EXPECT_EQ(result.run.run_name.function_name, "TTS/scripted/default/batch/c:1");
  EXPECT_EQ(result.run.report_label, "FAILED: errors 1 (RESOURCE_EXHAUSTED 1)");
  const double window = 0.030 + 0.070 + 0.002;
  EXPECT_EQ(result.counter("requests"), 3);
  EXPECT_EQ(result.counter("errors"), 1);
  EXPECT_NEAR(result.counter("latency_mean_ms"), 50, kNear);
  EXPECT_NEAR(result.counter("latency_p99_ms"), 30 + 0.99 * 40, kNear);
  EXPECT_NEAR(result.counter("ttfa_mean_ms"), 50, kNear);  // one response: the first audio is the whole answer
  EXPECT_TRUE(std::isnan(result.counter("inter_chunk_mean_ms")));
  EXPECT_NEAR(result.counter("throughput_rps"), 2 / window, kNear);
  EXPECT_NEAR(result.counter("rtfx"), 1.5 / window, kNear);
  // GPU counters from the readings taken during the window; what the GPU did not give is absent (n/a).
  EXPECT_EQ(result.counter("gpu_util_mean_pct"), 40);
  EXPECT_EQ(result.counter("gpu_util_peak_pct"), 40);
  EXPECT_EQ(result.counter("gpu_vram_peak_mib"), 16384);
  EXPECT_EQ(result.counter("gpu_power_mean_w"), 300);
  EXPECT_EQ(result.counter("gpu_temp_peak_c"), 55);
  const std::string report = result.table.markdown();
  EXPECT_NE(report.find("### GPU: TTS/scripted/default\n\n| Metric | Peak | Mean |\n| :--- | ---: | ---: |\n"
                        "| GPU Utilization (%) | 40 | 40 |\n| VRAM (MiB) | 16384 | 16384 |\n| Temperature (C) | 55 | 55 |\n"
                        "| Power Draw (W) | 300 | 300 |\n| SM Clock (MHz) | n/a | n/a |\n"),
            std::string::npos)
      << report;
}

// Interleaved A/B of embedded servers: before each repetition, both sides are redeployed (voxperf_bench
// restarts their servers), and the repetition measures the fresh deployments, not the old ones.
TEST(CaseCounters, AbRepetitionMeasuresTheRedeployedServers) {
  ScriptedClock clock;
  auto answer = [&clock](grpc::StatusCode status) {
    return [&clock, status](grpc::ServerContext*, const tts::SynthesizeSpeechRequest*,
                            tts::SynthesizeSpeechResponse* response) {
      clock.advance(20ms);
      response->set_audio(silence(0.5));
      return grpc::Status(status, status == grpc::StatusCode::OK ? "" : "the old deployment");
    };
  };
  ::testing::NiceMock<mocks::MockRivaTts> old_service, fresh_service;
  ON_CALL(old_service, Synthesize).WillByDefault(answer(grpc::StatusCode::UNAVAILABLE));
  ON_CALL(fresh_service, Synthesize).WillByDefault(answer(grpc::StatusCode::OK));
  mocks::FakeServer old_server({&old_service}), fresh_server({&fresh_service});
  const std::vector<Prompt> prompts{{"1", "one"}, {"2", "two"}};
  auto candidate = scripted_tts("batch", 2, old_server, prompts);
  auto baseline = scripted_tts("batch", 2, old_server, prompts);
  candidate->ab_baseline = baseline.get();
  std::vector<std::string> redeployed;
  auto redeploy_to_fresh = [&](const std::string& side_name) {
    return [&, side_name](TargetRun& side) {
      redeployed.push_back(side_name);
      side.opened = std::make_unique<RivaTtsTarget>(side.target, std::make_unique<ChannelPool>(fresh_server.endpoint()),
                                                    prompts);
    };
  };
  candidate->redeploy = redeploy_to_fresh("candidate");
  baseline->redeploy = redeploy_to_fresh("baseline");

  const auto result = run_one_case(*candidate, clock);

  EXPECT_EQ(redeployed, (std::vector<std::string>{"candidate", "baseline"}));
  EXPECT_EQ(result.run.report_label, "");
  EXPECT_EQ(result.counter("errors"), 0);
  EXPECT_EQ(result.counter("baseline.errors"), 0);
  EXPECT_NEAR(result.counter("latency_mean_ms"), 20, kNear);
  EXPECT_NEAR(result.counter("baseline.latency_mean_ms"), 20, kNear);
}

// --- ASR -------------------------------------------------------------------------------------------------

Utterance utterance(double seconds, std::string reference) {
  Utterance u;
  u.id = reference;
  u.text = std::move(reference);
  u.audio.sample_rate = kRate;
  u.audio.channels = 1;
  u.audio.samples.assign(static_cast<std::size_t>(seconds * kRate), 100);
  return u;
}

// The fake server picks the script by the number of audio bytes it received, since it cannot see the reference.
struct AsrScript {
  Nanos partial_after{0};  // since the half-close (stream) or the request (offline); 0: no partial
  std::string partial;
  Nanos final_after{0};    // since the partial
  std::string transcript;
  Nanos end_after{0};
  grpc::StatusCode status = grpc::StatusCode::OK;
};

asr::StreamingRecognizeResponse streaming_result(const std::string& transcript, bool is_final) {
  asr::StreamingRecognizeResponse response;
  auto* result = response.add_results();
  result->set_is_final(is_final);
  result->add_alternatives()->set_transcript(transcript);
  return response;
}

TEST(CaseCounters, StreamingAsrCountersEqualTheScriptedTimings) {
  ScriptedClock clock;
  const std::map<std::size_t, AsrScript> scripts{
      {16000, {30ms, "hel", 15ms, "hello world", 5ms}},   // 0.5 s: partial at 30, final at 45, ends at 50
      {9600, {20ms, "the", 65ms, "the cat sad", 0ms}},   // 0.3 s: partial at 20, final at 85
      {6400, {0ms, "", 0ms, "", 4ms, grpc::StatusCode::UNAUTHENTICATED}},  // 0.2 s: refused after 4 ms
  };
  ::testing::NiceMock<mocks::MockRivaAsr> service;
  ON_CALL(service, StreamingRecognize).WillByDefault([&](grpc::ServerContext*, AsrStream* stream) {
    asr::StreamingRecognizeRequest request;
    std::size_t bytes = 0;
    while (stream->Read(&request)) bytes += request.audio_content().size();  // unpaced: all of it, then half-close
    const AsrScript& script = scripts.at(bytes);
    auto send = [&](Nanos after, const std::string& text, bool is_final) {
      const auto mark = clock.advance(after);
      stream->Write(streaming_result(text, is_final));
      EXPECT_TRUE(clock.wait_for_read(mark)) << "the client never recorded a result";
    };
    if (!script.partial.empty()) send(script.partial_after, script.partial, false);
    if (!script.transcript.empty()) send(script.final_after, script.transcript, true);
    clock.advance(script.end_after);
    return grpc::Status(script.status, script.status == grpc::StatusCode::OK ? "" : "scripted failure");
  });
  mocks::FakeServer server({&service});
  auto run = scripted_asr("stream", 3, server, {utterance(0.5, "Hello, world!"), utterance(0.3, "The cat sat."), utterance(0.2, "refused")});

  const auto result = run_one_case(*run, clock);

  EXPECT_EQ(result.run.run_name.function_name, "ASR/scripted/default/stream/c:1");
  EXPECT_EQ(result.run.report_label, "FAILED: errors 1 (UNAUTHENTICATED 1)");
  const double window = 0.050 + 0.085 + 0.004;
  EXPECT_EQ(result.counter("requests"), 3);
  EXPECT_EQ(result.counter("errors"), 1);
  // Unpaced, every chunk leaves at the request's start, so the server tail runs from there to the final.
  EXPECT_NEAR(result.counter("server_tail_mean_ms"), (45 + 85) / 2.0, kNear);
  EXPECT_NEAR(result.counter("server_tail_p99_ms"), 45 + 0.99 * 40, kNear);
  EXPECT_NEAR(result.counter("server_tail_p95_ms"), 45 + 0.95 * 40, kNear);
  EXPECT_NEAR(result.counter("first_partial_mean_ms"), (30 + 20) / 2.0, kNear);
  EXPECT_NEAR(result.counter("latency_mean_ms"), 65, kNear);  // to the final: 45 and 85
  EXPECT_NEAR(result.counter("latency_p90_ms"), 45 + 0.9 * 40, kNear);
  EXPECT_NEAR(result.counter("throughput_rps"), 2 / window, kNear);
  EXPECT_NEAR(result.counter("rtfx"), 0.8 / window, kNear);  // audio of the completed streams
  EXPECT_NEAR(result.counter("wer"), 1.0 / 5, kNear);        // "sad" for "sat", in 5 reference words
  EXPECT_TRUE(std::isnan(result.counter("ttfa_mean_ms")));
  EXPECT_NE(result.table.markdown().find("| 1 | 65.0 | 81.0 | 84.6 | 14.39 | 5.8x | 25.0 | 65.0 | 20.00% | "
                                         "1 (UNAUTHENTICATED 1) | 3 |"),
            std::string::npos)
      << result.table.markdown();
}

TEST(CaseCounters, OfflineAsrCountersEqualTheScriptedTimings) {
  ScriptedClock clock;
  const std::map<std::size_t, AsrScript> scripts{
      {16000, {0ms, "", 120ms, "hello world"}},
      {9600, {0ms, "", 200ms, "a cat sat"}},
      {6400, {0ms, "", 90ms, "good morning"}},
  };
  ::testing::NiceMock<mocks::MockRivaAsr> service;
  ON_CALL(service, Recognize)
      .WillByDefault([&](grpc::ServerContext*, const asr::RecognizeRequest* request, asr::RecognizeResponse* response) {
        const AsrScript& script = scripts.at(request->audio().size());
        clock.advance(script.final_after);
        response->add_results()->add_alternatives()->set_transcript(script.transcript);
        return grpc::Status::OK;
      });
  mocks::FakeServer server({&service});
  auto run = scripted_asr("offline", 3, server, {utterance(0.5, "hello world"), utterance(0.3, "the cat sat"), utterance(0.2, "Good morning.")});

  const auto result = run_one_case(*run, clock);

  EXPECT_EQ(result.run.run_name.function_name, "ASR/scripted/default/offline/c:1");
  EXPECT_EQ(result.run.report_label, "");
  const double window = 0.120 + 0.200 + 0.090;
  EXPECT_EQ(result.counter("errors"), 0);
  EXPECT_NEAR(result.counter("latency_mean_ms"), 410.0 / 3, kNear);
  EXPECT_NEAR(result.counter("latency_p50_ms"), 120, kNear);
  EXPECT_NEAR(result.counter("latency_p90_ms"), 120 + 0.8 * 80, kNear);
  EXPECT_NEAR(result.counter("latency_p95_ms"), 120 + 0.9 * 80, kNear);
  EXPECT_NEAR(result.counter("latency_p99_ms"), 120 + 0.98 * 80, kNear);
  EXPECT_NEAR(result.counter("throughput_rps"), 3 / window, kNear);
  EXPECT_NEAR(result.counter("rtfx"), 1.0 / window, kNear);
  EXPECT_NEAR(result.counter("wer"), 1.0 / 7, kNear);  // "a" for "the", in 7 reference words
  EXPECT_TRUE(std::isnan(result.counter("server_tail_mean_ms")));
}

}  // namespace
}  // namespace voxperf::bench
