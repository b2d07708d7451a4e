// The load driver against a gMock fake Riva TTS server over real gRPC on loopback: concurrency, accounting,
// open-loop schedule, statuses, deadlines, cancellation. Nothing here asserts on wall-clock durations.
#include "harness/load_driver.h"

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <thread>

#include "harness/pipelines/riva_tts/tts_stream_client.h"
#include "harness/window_metrics.h"
#include "mocks/fake_riva_server.h"
#include "mocks/manual_timer_queue.h"
#include "mocks/server_probe.h"

namespace voxperf {
namespace {

using mocks::TtsStream;
using ::testing::_;
using namespace std::chrono_literals;

// Streams a header chunk with no audio, then two chunks of 1,000 samples each.
grpc::Status stream_audio(TtsStream* stream) {
  nvidia::riva::tts::SynthesizeSpeechResponse response;
  stream->Write(response);  // empty header chunk
  response.set_audio(std::string(2000, '\1'));
  stream->Write(response);
  stream->Write(response);
  return grpc::Status::OK;
}

// Reads the one request of a SynthesizeOnline stream.
nvidia::riva::tts::SynthesizeSpeechRequest read_request(TtsStream* stream) {
  nvidia::riva::tts::SynthesizeSpeechRequest request;
  EXPECT_TRUE(stream->Read(&request));
  return request;
}

class LoadDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ON_CALL(tts_, SynthesizeOnline).WillByDefault([](grpc::ServerContext*, TtsStream* stream) {
      read_request(stream);
      return stream_audio(stream);
    });
    EXPECT_CALL(tts_, SynthesizeOnline).Times(::testing::AnyNumber());
    server_ = std::make_unique<mocks::FakeServer>(std::initializer_list<grpc::Service*>{&tts_});
  }

  RivaTtsStreamClient make_client(ChannelPool& channels, Nanos deadline = 30s) {
    TtsSettings settings;
    settings.sample_rate_hz = 1000;  // 1,000 samples = 1 s of audio per chunk
    settings.call.deadline = deadline;
    return RivaTtsStreamClient(channels, prompts_, settings);
  }

  // Probes that handlers use are declared before the server, so they outlive its last handler.
  mocks::InFlightGauge gauge_;
  mocks::Gate release_;
  std::atomic<int> saw_cancel_{0};
  ::testing::NiceMock<mocks::MockRivaTts> tts_;
  std::unique_ptr<mocks::FakeServer> server_;
  std::vector<Prompt> prompts_{{"p0", "first prompt"}, {"p1", "second"}, {"p2", "third one"}};
  ThreadTimerQueue timers_;
};

TEST_F(LoadDriverTest, ClosedLoopKeepsExactlyConcurrencyInFlightAndAccountsForEveryRequest) {
  constexpr std::size_t kConcurrency = 4;
  ON_CALL(tts_, SynthesizeOnline).WillByDefault([&](grpc::ServerContext*, TtsStream* stream) {
    read_request(stream);
    // The first C calls wait until C are in flight together: proves the driver reaches C, without timing.
    if (gauge_.enter() <= kConcurrency) {
      EXPECT_TRUE(gauge_.wait_for_peak(kConcurrency));
    }
    auto status = stream_audio(stream);
    gauge_.leave();
    return status;
  });
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.concurrency = kConcurrency;
  spec.requests = 40;
  const auto result = driver.run(spec);

  EXPECT_EQ(gauge_.peak(), kConcurrency);
  EXPECT_EQ(result.max_in_flight, kConcurrency);
  EXPECT_EQ(gauge_.total(), 40u);
  ASSERT_EQ(result.records.size(), 40u);
  for (std::size_t i = 0; i < result.records.size(); ++i) {
    const auto& r = result.records[i];
    EXPECT_EQ(r.index, i);
    EXPECT_EQ(r.item, prompts_[i % 3].id);
    EXPECT_TRUE(r.ok()) << r.status.message;
    ASSERT_EQ(r.responses.size(), 3u);
    EXPECT_EQ(r.responses[0].kind, ResponseKind::kEmpty);
    EXPECT_EQ(r.responses[1].kind, ResponseKind::kAudio);
    EXPECT_DOUBLE_EQ(r.responses[1].audio_seconds, 1.0);
  }
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 40u);
  EXPECT_EQ(m.errors(), 0u);
  EXPECT_EQ(m.ttfa.count(), 40u);
  EXPECT_EQ(m.inter_chunk.count(), 40u);  // one gap per request: the header chunk is skipped
  EXPECT_GT(m.rtfx, 0.0);
}

TEST_F(LoadDriverTest, WarmupRequestsAreSentButNotRecorded) {
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  ON_CALL(tts_, SynthesizeOnline).WillByDefault([&](grpc::ServerContext*, TtsStream* stream) {
    gauge_.enter();
    read_request(stream);
    gauge_.leave();
    return stream_audio(stream);
  });
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.concurrency = 2;
  spec.requests = 5;
  spec.warmup_requests = 3;
  const auto result = driver.run(spec);
  EXPECT_EQ(gauge_.total(), 8u);
  EXPECT_EQ(result.records.size(), 5u);
}

TEST_F(LoadDriverTest, StatusesAreCountedByCode) {
  ON_CALL(tts_, SynthesizeOnline).WillByDefault([](grpc::ServerContext*, TtsStream* stream) {
    const auto request = read_request(stream);
    if (request.text() == "third one") return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "queue full");
    if (request.text() == "second") return grpc::Status(grpc::StatusCode::NOT_FOUND, "voice not found");
    return stream_audio(stream);
  });
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.concurrency = 3;
  spec.requests = 30;
  const auto result = driver.run(spec);
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 10u);
  EXPECT_EQ(m.failed, 20u);
  EXPECT_EQ(m.errors_by_status.at("RESOURCE_EXHAUSTED"), 10u);
  EXPECT_EQ(m.errors_by_status.at("NOT_FOUND"), 10u);
  EXPECT_EQ(result.records[2].status.message, "queue full");
}

TEST_F(LoadDriverTest, DeadlineEndsAHangingStream) {
  ON_CALL(tts_, SynthesizeOnline).WillByDefault([&](grpc::ServerContext* context, TtsStream* stream) {
    read_request(stream);
    if (mocks::wait_until_cancelled(context)) ++saw_cancel_;
    return grpc::Status::OK;
  });
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels, 300ms);
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.concurrency = 2;
  spec.requests = 4;
  const auto result = driver.run(spec);
  ASSERT_EQ(result.records.size(), 4u);
  for (const auto& r : result.records) {
    EXPECT_EQ(r.status.code, static_cast<int>(grpc::StatusCode::DEADLINE_EXCEEDED)) << r.status.message;
    EXPECT_TRUE(r.sent.has_value());
  }
  // The client gives up at its deadline; the server learns of it a little later. Wait for that (bounded only
  // so that a bug fails instead of hanging: a minute, far beyond what a loaded machine needs).
  for (int i = 0; i < 12000 && saw_cancel_.load() < 4; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(saw_cancel_.load(), 4);
}

TEST_F(LoadDriverTest, CancelReturnsPartialRecords) {
  ON_CALL(tts_, SynthesizeOnline).WillByDefault([&](grpc::ServerContext* context, TtsStream* stream) {
    read_request(stream);  // before counting it: the test cancels once 3 are counted
    gauge_.enter();
    mocks::wait_until_cancelled(context);
    gauge_.leave();
    return grpc::Status::OK;
  });
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.concurrency = 3;
  spec.requests = 50;
  auto running = std::async(std::launch::async, [&] { return driver.run(spec); });
  ASSERT_TRUE(gauge_.wait_for_peak(3));
  driver.cancel();
  const auto result = running.get();

  EXPECT_TRUE(result.cancelled);
  ASSERT_EQ(result.records.size(), 50u);
  std::size_t cancelled = 0, unsent = 0;
  for (const auto& r : result.records) {
    if (!r.sent) {
      ++unsent;
      EXPECT_EQ(r.status.code, Status::kUnsent);
    } else {
      ++cancelled;
      EXPECT_EQ(r.status.code, static_cast<int>(grpc::StatusCode::CANCELLED)) << r.status.message;
    }
  }
  EXPECT_EQ(cancelled, 3u);
  EXPECT_EQ(unsent, 47u);
  // A cancelled driver starts nothing more.
  const auto after = driver.run(spec);
  EXPECT_TRUE(after.cancelled);
  EXPECT_EQ(gauge_.total(), 3u);
}

TEST_F(LoadDriverTest, OpenLoopFollowsTheScheduleExactly) {
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.model = LoadModel::kOpenLoop;
  spec.arrivals = ArrivalProcess::kPoisson;
  spec.rate = 200.0;
  spec.requests = 30;
  spec.seed = 5;
  const auto result = driver.run(spec);
  const auto expected = arrival_offsets(ArrivalProcess::kPoisson, 200.0, 30, Nanos::zero(), 5);
  ASSERT_EQ(result.records.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const auto& r = result.records[k];
    EXPECT_EQ(r.intended_start - result.window.start, expected[k]) << k;
    ASSERT_TRUE(r.sent) << k;
    EXPECT_GE(*r.sent, r.intended_start) << "sent before its arrival time: " << k;
    EXPECT_TRUE(r.ok()) << r.status.message;
  }
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.schedule_lag.count(), 30u);
  EXPECT_GE(m.schedule_lag.min_ms(), 0.0);
}

TEST_F(LoadDriverTest, OpenLoopRecordsArrivalsOverTheCapAsUnsent) {
  // The test fires the arrivals itself, so what is in flight at each arrival is fixed.
  mocks::ManualTimerQueue manual;
  ON_CALL(tts_, SynthesizeOnline).WillByDefault([&](grpc::ServerContext*, TtsStream* stream) {
    gauge_.enter();
    read_request(stream);
    release_.wait();
    gauge_.leave();
    return stream_audio(stream);
  });
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, manual);
  LoadSpec spec;
  spec.model = LoadModel::kOpenLoop;
  spec.arrivals = ArrivalProcess::kConstant;
  spec.rate = 100.0;
  spec.requests = 10;
  spec.max_in_flight = 2;
  auto running = std::async(std::launch::async, [&] { return driver.run(spec); });
  ASSERT_TRUE(manual.wait_for(10));
  manual.run_next();
  manual.run_next();
  ASSERT_TRUE(gauge_.wait_for_peak(2));
  while (manual.run_next()) {
  }
  release_.open();
  const auto result = running.get();
  ASSERT_EQ(result.records.size(), 10u);
  EXPECT_TRUE(result.records[0].ok());
  EXPECT_TRUE(result.records[1].ok());
  for (std::size_t k = 2; k < 10; ++k) {
    EXPECT_FALSE(result.records[k].sent);
    EXPECT_EQ(result.records[k].status.code, Status::kUnsent);
    EXPECT_NE(result.records[k].status.message.find("in flight"), std::string::npos);
  }
  EXPECT_EQ(summarize_window(result.records, result.window).unsent, 8u);
}

TEST_F(LoadDriverTest, DurationBoundedClosedLoopStops) {
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, timers_);
  LoadSpec spec;
  spec.concurrency = 2;
  spec.duration = 200ms;
  const auto result = driver.run(spec);
  EXPECT_GE(result.records.size(), 2u);
  for (const auto& r : result.records) EXPECT_TRUE(r.ok());
}

TEST_F(LoadDriverTest, EveryTimeComesFromTheInjectedClock) {
  // A clock that never moves: every stamp must equal it, so no code path reads the system clock behind it.
  const ManualClock clock(TimePoint{} + std::chrono::hours(5));
  ChannelPool channels(server_->endpoint());
  TtsSettings settings;
  settings.sample_rate_hz = 1000;
  RivaTtsStreamClient client(channels, prompts_, settings, clock);
  LoadDriver driver(client, timers_, clock);
  LoadSpec spec;
  spec.requests = 3;
  const auto result = driver.run(spec);
  EXPECT_EQ(result.window.start, clock.now());
  EXPECT_EQ(result.window.end, clock.now());
  for (const auto& r : result.records) {
    EXPECT_EQ(r.intended_start, clock.now());
    EXPECT_EQ(r.sent, clock.now());
    EXPECT_EQ(r.end, clock.now());
    for (const auto& e : r.responses) EXPECT_EQ(e.at, clock.now());
  }
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.ttfa.count(), 3u);
  EXPECT_DOUBLE_EQ(m.ttfa.max_ms(), 0.0);
}

TEST_F(LoadDriverTest, RejectsInconsistentSpecs) {
  ChannelPool channels(server_->endpoint());
  auto client = make_client(channels);
  LoadDriver driver(client, timers_);
  LoadSpec no_bound;
  EXPECT_THROW(driver.run(no_bound), std::invalid_argument);
  LoadSpec open_without_rate;
  open_without_rate.model = LoadModel::kOpenLoop;
  open_without_rate.requests = 3;
  EXPECT_THROW(driver.run(open_without_rate), std::invalid_argument);
  LoadSpec zero_concurrency;
  zero_concurrency.requests = 3;
  zero_concurrency.concurrency = 0;
  EXPECT_THROW(driver.run(zero_concurrency), std::invalid_argument);
}

}  // namespace
}  // namespace voxperf
