// The load engine's pacing, offline: the null server's scripted delays (their forms, errors and draws), the
// chunk lag of paced streams as a pure function of records, and the closed loop's ramp of stream starts,
// driven step by step through a manual timer queue and clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <numeric>
#include <random>

#include "harness/input_error.h"
#include "harness/load_driver.h"
#include "harness/window_metrics.h"
#include "mocks/manual_timer_queue.h"
#include "server/null/delay_model.h"

namespace voxperf {
namespace {

using namespace std::chrono_literals;
using nullserver::DelayModel;

double mean_ms(const DelayModel& model, int draws) {
  std::mt19937_64 random(7);
  double sum = 0;
  for (int i = 0; i < draws; ++i) sum += std::chrono::duration<double, std::milli>(model.draw(random)).count();
  return sum / draws;
}

TEST(DelayModel, ParsesEachFormAndDrawsWithItsMean) {
  EXPECT_EQ(DelayModel::parse("5", "--first-delay").describe(), "fixed:5");
  EXPECT_EQ(DelayModel::parse("fixed:0.25", "--first-delay").describe(), "fixed:0.25");
  std::mt19937_64 random(1);
  EXPECT_EQ(DelayModel::parse("2.5", "--first-delay").draw(random), 2500us);
  EXPECT_TRUE(DelayModel::parse("0", "--first-delay").zero());

  const auto uniform = DelayModel::parse("uniform:2:8", "--first-delay");
  for (int i = 0; i < 1000; ++i) {
    const auto d = uniform.draw(random);
    ASSERT_GE(d, 2ms);
    ASSERT_LE(d, 8ms);
  }
  // 20,000 seeded draws: the sample mean is within 3 % of the distribution's (5 ms; e^{sigma^2/2} x median).
  EXPECT_NEAR(mean_ms(uniform, 20000), 5.0, 0.15);
  EXPECT_NEAR(mean_ms(DelayModel::parse("exp:5", "--first-delay"), 20000), 5.0, 0.15);
  EXPECT_NEAR(mean_ms(DelayModel::parse("lognormal:5:0.5", "--first-delay"), 20000), 5.0 * std::exp(0.125), 0.17);
}

TEST(DelayModel, RejectsWhatItCanNotReadNamingTheFlag) {
  for (const char* bad : {"", "-1", "abc", "uniform:5", "uniform:8:2", "exp:1:2", "gamma:3", "5ms", "lognormal:5"}) {
    try {
      DelayModel::parse(bad, "--later-delay");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("--later-delay"), std::string::npos) << error.what();
    }
  }
}

TEST(DelayDraws, RepeatsItsSequenceForASeed) {
  nullserver::DelayDraws a(DelayModel::parse("exp:3", "f"), 42), b(DelayModel::parse("exp:3", "f"), 42);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(a.next(), b.next());
}

RequestRecord paced(std::initializer_list<std::int32_t> lags_us, Nanos period = 160ms) {
  RequestRecord r;
  r.sent = TimePoint{} + 1s;
  r.intended_start = *r.sent;
  r.end = *r.sent + 2s;
  r.status = Status{};
  r.chunk_lag_us = lags_us;
  r.chunk_period = period;
  return r;
}

TEST(ChunkLag, IsEveryPacedChunkOfEverySentStream) {
  std::vector<RequestRecord> records = {paced({0, 100, 200}), paced({1000, 170'000})};
  records.push_back(paced({50}));
  records.back().status = Status{14, "gone", {}};  // a failed stream's pacing still counts
  RequestRecord unsent;  // never sent: nothing paced
  records.push_back(unsent);
  const auto m = summarize_window(records, {TimePoint{}, TimePoint{} + 10s, LoadModel::kClosedLoop});
  EXPECT_EQ(m.chunk_lag.count(), 6u);
  EXPECT_DOUBLE_EQ(m.chunk_lag.max_ms(), 170.0);
  EXPECT_DOUBLE_EQ(m.chunk_lag.mean_ms(), (0 + 0.1 + 0.2 + 1.0 + 170.0 + 0.05) / 6);
  EXPECT_EQ(m.late_chunks, 1u);  // 170 ms > one 160 ms period
  EXPECT_DOUBLE_EQ(m.late_chunk_fraction(), 1.0 / 6);
  EXPECT_DOUBLE_EQ(m.chunk_period_ms, 160.0);
}

TEST(ChunkLag, IsNotMeasuredWithoutPacedChunks) {
  RequestRecord r = paced({});
  const auto m = summarize_window(std::vector<RequestRecord>{r}, {TimePoint{}, TimePoint{} + 10s, LoadModel::kClosedLoop});
  EXPECT_EQ(m.chunk_lag.count(), 0u);
  EXPECT_TRUE(std::isnan(m.late_chunk_fraction()));
  EXPECT_DOUBLE_EQ(m.chunk_period_ms, 0.0);
}

// A client whose calls run until the test ends them, so that what the ramp starts is visible step by step.
class HeldClient final : public RequestClient {
 public:
  explicit HeldClient(const Clock& clock) : clock_(clock) {}

  class HeldCall final : public Call {
   public:
    HeldCall(RequestRecord& record, std::function<void()> done, const Clock& clock)
        : record_(record), done_(std::move(done)), clock_(clock) {}
    void start() override { record_.sent = clock_.now(); }
    void cancel() override {}
    void end() {
      record_.end = clock_.now();
      record_.status = Status{};
      auto done = std::move(done_);
      done();
    }
    RequestRecord& record_;

   private:
    std::function<void()> done_;
    const Clock& clock_;
  };

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override {
    auto call = std::make_shared<HeldCall>(record, std::move(done), clock_);
    std::lock_guard lock(mutex_);
    calls_.push_back(call.get());
    return call;
  }
  std::size_t prepared() {
    std::lock_guard lock(mutex_);
    return calls_.size();
  }
  HeldCall* call(std::size_t i) {
    std::lock_guard lock(mutex_);
    return calls_[i];
  }

 private:
  const Clock& clock_;
  std::mutex mutex_;
  std::vector<HeldCall*> calls_;
};

TEST(LoadRamp, StartsTheFirstStreamsAtEvenStepsOverTheRamp) {
  const TimePoint t0 = TimePoint{} + 1h;
  ManualClock clock(t0);
  mocks::ManualTimerQueue timers;
  HeldClient client(clock);
  LoadDriver driver(client, timers, clock);
  LoadSpec spec;
  spec.concurrency = 4;
  spec.requests = 4;
  spec.ramp = 400ms;
  auto run = std::async(std::launch::async, [&] { return driver.run(spec); });
  // One stream at once, the other three waiting on the timer queue for their steps.
  ASSERT_TRUE(timers.wait_for(3));
  EXPECT_EQ(client.prepared(), 1u);
  EXPECT_EQ(client.call(0)->record_.intended_start, t0);
  for (std::size_t step = 1; step < 4; ++step) {
    ASSERT_TRUE(timers.run_next());
    ASSERT_EQ(client.prepared(), step + 1);
    EXPECT_EQ(client.call(step)->record_.intended_start, t0 + 100ms * static_cast<int>(step));
  }
  EXPECT_EQ(timers.size(), 0u);
  for (std::size_t i = 0; i < 4; ++i) client.call(i)->end();
  const auto result = run.get();
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.max_in_flight, 4u);
}

TEST(LoadRamp, CancelledBeforeItsStepsTheRestStayUnsent) {
  ManualClock clock(TimePoint{} + 1h);
  mocks::ManualTimerQueue timers;
  HeldClient client(clock);
  LoadDriver driver(client, timers, clock);
  LoadSpec spec;
  spec.concurrency = 3;
  spec.requests = 3;
  spec.ramp = 300ms;
  auto run = std::async(std::launch::async, [&] { return driver.run(spec); });
  ASSERT_TRUE(timers.wait_for(2));
  driver.cancel();
  client.call(0)->end();
  while (timers.run_next()) {}  // the steps come due after the cancel: they start nothing
  const auto result = run.get();
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(client.prepared(), 1u);
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_FALSE(result.records[1].sent);
  EXPECT_FALSE(result.records[2].sent);
}

}  // namespace
}  // namespace voxperf
