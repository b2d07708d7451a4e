// The SLA search: the pure search and bound rules, then whole ".../sla" cases against a fake endpoint whose
// answers are scripted functions of the case's concurrency, so the answer and the number of probes are known
// exactly. The fake sits behind the pipeline's transport interface (PipelineTarget / RequestClient): it stamps
// every record from a clock that never moves, so no figure depends on how busy this machine is.
#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include <cmath>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "harness/pipelines/registry.h"
#include "harness/sla.h"
#include "harness/timer_queue.h"
#include "perf_tests/target_cases.h"

namespace voxperf {
namespace {

using namespace std::chrono_literals;

// --- The search on its own ---------------------------------------------------------------------------------

// Runs a search against "a level meets the SLA when c <= limit"; returns the probed levels in order.
std::vector<std::size_t> search_against(std::size_t limit, SlaRange range, SlaSearch* out = nullptr) {
  SlaSearch search(range);
  std::vector<std::size_t> probed;
  while (auto c = search.next()) {
    probed.push_back(*c);
    search.record(*c, *c <= limit);
    if (probed.size() > 64) break;  // a search that does not end fails below
  }
  if (out) *out = search;
  return probed;
}

TEST(SlaSearch, DoublesThenBisectsToTheExactLimit) {
  SlaSearch search({});
  EXPECT_EQ(search_against(12, {1, 512, 10}, &search), (std::vector<std::size_t>{1, 2, 4, 8, 16, 12, 14, 13}));
  EXPECT_EQ(search.max_concurrency(), 12u);
  EXPECT_EQ(search.first_broken(), 13u);
  EXPECT_EQ(search.probes(), 8u);
}

TEST(SlaSearch, FindsEveryLimitInTheRange) {
  for (std::size_t limit = 1; limit <= 300; ++limit) {
    SlaSearch search({});
    const auto probed = search_against(limit, {1, 512, 10}, &search);
    ASSERT_EQ(search.max_concurrency(), limit);
    ASSERT_EQ(search.first_broken(), limit + 1);
    // Doubling to the first power of two above the limit, then bisection of the last doubling step: at most
    // 2 * ceil(log2(limit + 1)) + 1 probes.
    ASSERT_LE(probed.size(), 2 * static_cast<std::size_t>(std::ceil(std::log2(limit + 1))) + 1) << limit;
  }
}

TEST(SlaSearch, ABoundNoLevelMeetsEndsAfterTheFirstProbe) {
  SlaSearch search({});
  EXPECT_EQ(search_against(0, {4, 512, 10}, &search), (std::vector<std::size_t>{4}));
  EXPECT_EQ(search.max_concurrency(), 0u);
  EXPECT_EQ(search.first_broken(), 4u);
}

TEST(SlaSearch, ABoundEveryLevelMeetsStopsAtMaxWhichIsProbedItself) {
  SlaSearch search({});
  // 1, 2, 4 ... 256, then max (300) itself rather than 512.
  EXPECT_EQ(search_against(100000, {1, 300, 10}, &search),
            (std::vector<std::size_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 300}));
  EXPECT_EQ(search.max_concurrency(), 300u);
  EXPECT_FALSE(search.first_broken());
}

TEST(SlaSearch, MinEqualToMaxProbesOnce) {
  SlaSearch search({});
  EXPECT_EQ(search_against(100, {8, 8, 10}, &search), (std::vector<std::size_t>{8}));
  EXPECT_EQ(search.max_concurrency(), 8u);
}

TEST(SlaBounds, PercentileComesFromTheCounterName) {
  EXPECT_EQ(SlaBound{"ttfb_p95_ms"}.percentile(), 95.0);
  EXPECT_EQ(SlaBound{"rtf_p95"}.percentile(), 95.0);
  EXPECT_EQ(SlaBound{"server_tail_p99_ms"}.percentile(), 99.0);
  EXPECT_EQ(SlaBound{"latency_p50_ms"}.percentile(), 50.0);
  EXPECT_FALSE(SlaBound{"ttft_mean_ms"}.percentile());
  EXPECT_FALSE(SlaBound{"wer"}.percentile());
  EXPECT_FALSE(SlaBound{"throughput_rps"}.percentile());
  EXPECT_FALSE(SlaBound{"osl_p99x"}.percentile());  // not "_p<digits>" followed by "_" or the end
}

TEST(SlaBounds, ProbeSizeGivesTenRequestsBeyondThePercentile) {
  EXPECT_EQ(requests_for_bounds({{"ttfb_p95_ms", 2000}, {"rtf_p95", 1}}, 10), 200u);
  EXPECT_EQ(requests_for_bounds({{"ttft_p99_ms", 500}, {"itl_p95_ms", 50}}, 10), 1000u);
  EXPECT_EQ(requests_for_bounds({{"latency_p90_ms", 500}}, 5), 50u);
  EXPECT_EQ(requests_for_bounds({{"wer", 0.5}, {"ttfa_mean_ms", 300}}, 10), 0u);
}

TEST(SlaBounds, AProbeBreaksOnABoundErrorsInstabilityOrAnUnmeasuredCounter) {
  const std::vector<SlaBound> bounds{{"ttfb_p95_ms", 2000, true}, {"throughput_rps", 5, false}};
  EXPECT_TRUE(judge_probe(bounds, {{"ttfb_p95_ms", 2000}, {"throughput_rps", 5}}, 0, std::nullopt).met);
  auto v = judge_probe(bounds, {{"ttfb_p95_ms", 2140}, {"throughput_rps", 4}}, 0, true);
  EXPECT_FALSE(v.met);
  EXPECT_EQ(v.broken, (std::vector<std::string>{"ttfb_p95_ms 2140 > 2000", "throughput_rps 4 < 5"}));
  v = judge_probe(bounds, {{"ttfb_p95_ms", 10}, {"throughput_rps", 50}}, 3, false);
  EXPECT_EQ(v.broken, (std::vector<std::string>{"errors: 3", "unstable"}));
  v = judge_probe(bounds, {{"throughput_rps", 50}}, 0, std::nullopt);
  EXPECT_EQ(v.broken, (std::vector<std::string>{"ttfb_p95_ms not measured"}));
  v = judge_probe(bounds, {{"ttfb_p95_ms", NAN}, {"throughput_rps", 50}}, 0, std::nullopt);
  EXPECT_EQ(v.broken, (std::vector<std::string>{"ttfb_p95_ms not measured"}));
}

// --- Whole cases against a scripted endpoint ---------------------------------------------------------------

// What the endpoint answers a request with at concurrency c: the record's times relative to its send, and
// its status and text.
struct ScriptedAnswer {
  Nanos first_byte{0};
  Nanos first_audio{0};  // TTS: one audio response of audio_out seconds
  Nanos end{0};
  double audio_out = 1.0;
  std::string transcript;  // ASR: the final text of 1 s of audio, against "the quick brown fox"
  int status = Status::kOk;
};
using Script = std::function<ScriptedAnswer(std::size_t concurrency, std::uint64_t index)>;

// Answers on a thread of its own, in order of start, so that the load driver never re-enters itself.
class ScriptedClient final : public RequestClient {
 public:
  ScriptedClient(Script script, std::size_t concurrency, const Clock& clock)
      : script_(std::move(script)), concurrency_(concurrency), clock_(clock), worker_([this] { work(); }) {}
  ~ScriptedClient() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
  }

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override {
    return std::make_shared<PendingCall>(*this, record, std::move(done));
  }

 private:
  struct Job {
    RequestRecord* record;
    std::function<void()> done;
  };
  class PendingCall final : public Call {
   public:
    PendingCall(ScriptedClient& client, RequestRecord& record, std::function<void()> done)
        : client_(client), record_(record), done_(std::move(done)) {}
    void start() override {
      {
        std::lock_guard lock(client_.mutex_);
        client_.jobs_.push_back({&record_, std::move(done_)});
      }
      client_.wake_.notify_all();
    }
    void cancel() override {}

   private:
    ScriptedClient& client_;
    RequestRecord& record_;
    std::function<void()> done_;
  };

  void work() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      answer(*job.record);
      job.done();
      lock.lock();
    }
  }

  void answer(RequestRecord& r) const {
    const ScriptedAnswer a = script_(concurrency_, r.index);
    const TimePoint sent = clock_.now();
    r.sent = sent;
    r.first_byte = sent + a.first_byte;
    if (a.transcript.empty()) {
      r.text_chars = 20;
      r.responses.push_back({sent + a.first_audio, ResponseKind::kAudio, 100, a.audio_out, ""});
    } else {
      r.reference = "the quick brown fox";
      r.audio_seconds_in = 1.0;
      r.responses.push_back({sent + a.end, ResponseKind::kFinal, 10, 0.0, a.transcript});
    }
    r.end = sent + a.end;
    r.status = {a.status, a.status == Status::kOk ? "" : "scripted", {}};
  }

  Script script_;
  std::size_t concurrency_;
  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread worker_;
};

class ScriptedTarget final : public PipelineTarget {
 public:
  explicit ScriptedTarget(Script script) : script_(std::move(script)) {}
  std::unique_ptr<RequestClient> client(const std::string&, const CaseLoad& load, TimerQueue&,
                                        const Clock& clock) override {
    return std::make_unique<ScriptedClient>(script_, load.concurrency, clock);
  }
  std::string server_config() override { return "{}"; }

 private:
  Script script_;
};

class CapturingReporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override { runs_.insert(runs_.end(), runs.begin(), runs.end()); }
  std::vector<Run> runs_;
};

struct SearchResult {
  benchmark::BenchmarkReporter::Run run;
  std::string markdown;
  double counter(const std::string& name) const {
    const auto it = run.counters.find(name);
    return it == run.counters.end() ? std::nan("") : it->second.value;
  }
};

// The ".../sla" case of one target of `kind` in `mode` against `script`.
SearchResult run_search(const std::string& kind, const std::string& mode, Sla sla, Script script,
                        std::size_t requests_per_window = 0) {
  bench::TargetRun run;
  run.target.model = "scripted";
  run.target.kind = kind;
  run.target.pipeline = find_pipeline(kind);
  run.target.modes = {mode};
  run.target.requests_per_window = requests_per_window;
  run.target.warmup_requests = 0;
  run.target.sla = std::move(sla);
  run.opened = std::make_unique<ScriptedTarget>(std::move(script));
  const ManualClock clock(TimePoint{} + std::chrono::hours(2));
  ThreadTimerQueue timers;
  bench::ResultTable table;
  const auto names = bench::register_target_cases(run, timers, table, clock);
  EXPECT_EQ(names.size(), 1u);
  CapturingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();
  SearchResult result;
  EXPECT_EQ(reporter.runs_.size(), 1u);
  if (!reporter.runs_.empty()) result.run = reporter.runs_.front();
  result.markdown = table.markdown();
  return result;
}

// HTTP TTS whose first byte (and audio) comes 50 ms per concurrent request after the send (a server that
// queues) and whose request ends 75 ms per request + 10 ms after it: P95 TTFB <= 2 s holds up to c = 40, P95
// RTF <= 1 (1 s of audio) up to c = 13. The search must say 13 after probing 1 2 4 8 16 12 14 13.
Script queueing_tts() {
  return [](std::size_t c, std::uint64_t) {
    ScriptedAnswer a;
    a.first_byte = a.first_audio = 50ms * c;
    a.end = 75ms * c + 10ms;
    return a;
  };
}

TEST(SlaSearchCase, FindsTheLargestConcurrencyOfAScriptedTtsServerInTheExpectedProbes) {
  Sla sla{{{"ttfb_p95_ms", 2000}, {"rtf_p95", 1.0}}, SlaRange{1, 512, 10}};
  const auto result = run_search("http_speech", "audio", sla, queueing_tts());
  EXPECT_EQ(result.run.run_name.function_name, "HTTP-TTS/scripted/default/audio/sla");
  EXPECT_EQ(result.counter("max_concurrency"), 13);
  EXPECT_EQ(result.counter("broke_concurrency"), 14);
  EXPECT_EQ(result.counter("probes"), 8);
  // The figures at the answer and at the first level that broke; each probe has 200 requests (10 beyond P95).
  EXPECT_NEAR(result.counter("at_max.ttfb_p95_ms"), 650, 1e-6);
  EXPECT_NEAR(result.counter("at_max.rtf_p95"), 0.985, 1e-9);
  EXPECT_EQ(result.counter("at_max.requests"), 200);
  EXPECT_NEAR(result.counter("at_break.rtf_p95"), 1.06, 1e-9);
  EXPECT_NEAR(result.counter("at_break.ttfb_p95_ms"), 700, 1e-6);
  EXPECT_TRUE(std::isnan(result.counter("at_break.ttfa_mean_ms")));  // only what broke, and the load
  EXPECT_TRUE(std::isnan(result.counter("latency_mean_ms")));  // no plain level figures: the gate compares none
  EXPECT_EQ(result.run.report_label, "SLA: max concurrency 13 (c=14 broke: rtf_p95 1.06 > 1)");
  // The report prints every probe, in order, with its verdict.
  for (const char* row : {"| 1 | 1 | 50.0 | 0.085 |", "| 5 | 16 | 800.0 | 1.210 |", "| 7 | 14 | 700.0 | 1.060 |",
                          "| 8 | 13 | 650.0 | 0.985 |"}) {
    EXPECT_NE(result.markdown.find(row), std::string::npos) << row << "\n" << result.markdown;
  }
  EXPECT_NE(result.markdown.find("at least 200 requests"), std::string::npos);
  EXPECT_NE(result.markdown.find("broke: rtf_p95 1.21 > 1 |"), std::string::npos) << result.markdown;
}

TEST(SlaSearchCase, AMeanBoundNeedsOnlyTheTargetsRequestsPerWindow) {
  Sla sla{{{"ttfa_mean_ms", 300}}, SlaRange{1, 64, 10}};  // 50 ms x c <= 300: c <= 6
  const auto result = run_search("http_speech", "audio", sla, queueing_tts(), 16);
  EXPECT_EQ(result.counter("max_concurrency"), 6);
  EXPECT_EQ(result.counter("probes"), 6);  // 1 2 4 8 6 7
  EXPECT_EQ(result.counter("at_max.requests"), 16);
}

// ASR whose transcripts lose a word in every other request above c = 6 (WER 12.5 %) and which sends
// UNAVAILABLE for one request in 50 from c = 20.
Script degrading_asr() {
  return [](std::size_t c, std::uint64_t index) {
    ScriptedAnswer a;
    a.end = 20ms * c;
    a.transcript = c > 6 && index % 2 == 0 ? "the quick fox" : "the quick brown fox";
    if (c >= 20 && index % 50 == 0) a.status = 14;  // UNAVAILABLE
    return a;
  };
}

TEST(SlaSearchCase, AWerBoundFindsTheLevelWhereTranscriptsDegrade) {
  Sla sla{{{"wer", 0.05}, {"latency_mean_ms", 10000}}, SlaRange{1, 512, 10}};
  const auto result = run_search("riva_asr", "offline", sla, degrading_asr(), 40);
  EXPECT_EQ(result.counter("max_concurrency"), 6);
  EXPECT_EQ(result.counter("probes"), 6);  // 1 2 4 8 6 7
  EXPECT_EQ(result.counter("at_max.wer"), 0.0);
  EXPECT_NEAR(result.counter("at_break.wer"), 0.125, 1e-12);
}

TEST(SlaSearchCase, ErrorsBreakALevelWhateverItsCounters) {
  Sla sla{{{"latency_mean_ms", 10000}}, SlaRange{1, 512, 10}};
  const auto result = run_search("riva_asr", "offline", sla, degrading_asr(), 100);
  EXPECT_EQ(result.counter("max_concurrency"), 19);
  EXPECT_EQ(result.counter("broke_concurrency"), 20);
  EXPECT_EQ(result.counter("at_break.errors"), 2);
  EXPECT_EQ(result.run.report_label, "SLA: max concurrency 19 (c=20 broke: errors: 2)");
}

TEST(SlaSearchCase, ABoundEveryLevelMeetsReportsMaxAsALowerBound) {
  Sla sla{{{"ttfb_p95_ms", 1e6}}, SlaRange{1, 20, 1}};
  const auto result = run_search("http_speech", "audio", sla, queueing_tts());
  EXPECT_EQ(result.counter("max_concurrency"), 20);
  EXPECT_EQ(result.counter("probes"), 6);  // 1 2 4 8 16 20
  EXPECT_TRUE(std::isnan(result.counter("broke_concurrency")));
  EXPECT_EQ(result.run.report_label,
            "SLA: max concurrency 20, every level met it up to max 20 (the true limit may be higher)");
}

TEST(SlaSearchCase, ABoundNoLevelMeetsReportsZero) {
  Sla sla{{{"ttfb_p95_ms", 10}}, SlaRange{2, 512, 10}};
  const auto result = run_search("http_speech", "audio", sla, queueing_tts());
  EXPECT_EQ(result.counter("max_concurrency"), 0);
  EXPECT_EQ(result.counter("probes"), 1);
  EXPECT_EQ(result.counter("broke_concurrency"), 2);
  EXPECT_EQ(result.run.report_label, "SLA: not even c=2 met it (ttfb_p95_ms 100 > 10)");
}

}  // namespace
}  // namespace voxperf
