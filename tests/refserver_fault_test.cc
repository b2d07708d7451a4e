// Profiles and fault injection, checked by counting inside the server and by driving injected delays with a
// manual timer queue: nothing here depends on how fast the machine is.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "mocks/manual_timer_queue.h"
#include "refserver_support.h"
#include "server/asr_service.h"
#include "server/tts_service.h"

namespace voxperf::testing {
namespace {

using namespace std::chrono_literals;
namespace asr = nvidia::riva::asr;
namespace tts = nvidia::riva::tts;

const std::string kText = "Profiles cap the work in the engine. The rest of the requests wait in a queue.";

// Fires queued timers until `done`, returning how many it fired.
template <class Done>
std::size_t fire_until(mocks::ManualTimerQueue& timers, Done done) {
  std::size_t fired = 0;
  EXPECT_TRUE(eventually([&] {
    if (timers.run_next()) ++fired;
    return done();
  }));
  return fired;
}

TEST(RefServerProfile, TtsEngineHoldsAtMostTheBatchSizeAndQueuesTheRest) {
  mocks::ManualTimerQueue timers;  // outlives the server
  refserver::RefServerOptions options;
  options.profile = refserver::parse_profile("bs3");
  options.faults.first_response_delay = 1h;  // a slow model: each request holds its slot until the test says
  options.timers = &timers;
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));

  constexpr int kRequests = 8;
  std::atomic<int> completed{0};
  std::vector<grpc::Status> statuses(kRequests);
  std::vector<std::thread> clients;
  for (int i = 0; i < kRequests; ++i) {
    clients.emplace_back([&, i] {
      tts::SynthesizeSpeechResponse response;
      auto context = context_with_deadline();
      statuses[i] = stub->Synthesize(context.get(), tts_request(kText), &response);
      ++completed;
    });
  }
  // Three requests are in the engine, each waiting for its delay; five wait for a slot.
  ASSERT_TRUE(eventually([&] {
    const auto stats = server.tts().admission().stats();
    return stats.active == 3 && stats.queued == 5 && timers.size() == 3;
  }));
  EXPECT_EQ(completed.load(), 0) << "no response may pass its injected delay";

  fire_until(timers, [&] { return completed.load() == kRequests; });
  for (auto& client : clients) client.join();
  for (const auto& status : statuses) EXPECT_TRUE(status.ok()) << status.error_message();
  const auto stats = server.tts().admission().stats();
  EXPECT_EQ(stats.peak_active, 3u);
  EXPECT_EQ(stats.peak_queued, 5u);
  EXPECT_EQ(stats.admitted, 8u);
  EXPECT_EQ(stats.active, 0u);
}

TEST(RefServerProfile, AsrEngineHoldsAtMostTheBatchSize) {
  mocks::ManualTimerQueue timers;
  refserver::RefServerOptions options;
  options.profile = refserver::parse_profile("bs2");
  options.faults.first_response_delay = 1h;
  options.timers = &timers;
  refserver::RefServer server(options);
  auto stub = asr::RivaSpeechRecognition::NewStub(dial(server));

  constexpr int kRequests = 5;
  std::atomic<int> completed{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kRequests; ++i) {
    clients.emplace_back([&] {
      asr::RecognizeRequest request;
      *request.mutable_config() = asr_config();
      request.set_audio(std::string(3200, '\0'));
      asr::RecognizeResponse response;
      auto context = context_with_deadline();
      EXPECT_TRUE(stub->Recognize(context.get(), request, &response).ok());
      ++completed;
    });
  }
  ASSERT_TRUE(eventually([&] {
    const auto stats = server.asr().admission().stats();
    return stats.active == 2 && stats.queued == 3 && timers.size() == 2;
  }));
  EXPECT_EQ(completed.load(), 0);
  fire_until(timers, [&] { return completed.load() == kRequests; });
  for (auto& client : clients) client.join();
  EXPECT_EQ(server.asr().admission().stats().peak_active, 2u);
  EXPECT_LE(server.asr().decoders(), 2u) << "decoders are bounded by the batch size";
}

TEST(RefServerFaults, ErrorFractionFailsExactlyThatShareWithTheChosenStatus) {
  refserver::RefServerOptions options;
  options.faults.error_fraction = 0.25;
  options.faults.error_code = grpc::StatusCode::RESOURCE_EXHAUSTED;
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  int failed = 0;
  for (int i = 0; i < 8; ++i) {
    tts::SynthesizeSpeechResponse response;
    auto context = context_with_deadline();
    const auto status = stub->Synthesize(context.get(), tts_request("One two three."), &response);
    if (status.ok()) continue;
    ++failed;
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("injected"), std::string::npos) << status.error_message();
  }
  EXPECT_EQ(failed, 2);

  // Streaming ASR has its own count: one stream in four.
  auto asr_stub = asr::RivaSpeechRecognition::NewStub(dial(server));
  failed = 0;
  for (int i = 0; i < 4; ++i) {
    auto context = context_with_deadline();
    auto stream = asr_stub->StreamingRecognize(context.get());
    asr::StreamingRecognizeRequest config;
    *config.mutable_streaming_config()->mutable_config() = asr_config();
    stream->Write(config);
    asr::StreamingRecognizeRequest audio;
    audio.set_audio_content(std::string(3200, '\0'));
    stream->Write(audio);
    stream->WritesDone();
    asr::StreamingRecognizeResponse response;
    while (stream->Read(&response)) {
    }
    if (stream->Finish().error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) ++failed;
  }
  EXPECT_EQ(failed, 1);
}

// Channel arguments that keep a channel off gRPC's shared subchannel pool, so it opens its own connection.
grpc::ChannelArguments unshared_channel_args() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return args;
}

struct StreamOutcome {
  std::size_t chunks = 0;
  grpc::Status status;
};

StreamOutcome synthesize_online(tts::RivaSpeechSynthesis::Stub& stub, std::chrono::milliseconds deadline) {
  StreamOutcome outcome;
  auto context = context_with_deadline(deadline);
  auto stream = stub.SynthesizeOnline(context.get());
  stream->Write(tts_request(kText));
  stream->WritesDone();
  tts::SynthesizeSpeechResponse response;
  while (stream->Read(&response)) ++outcome.chunks;
  outcome.status = stream->Finish();
  return outcome;
}

TEST(RefServerFaults, ChunkDelayHoldsEveryChunkAfterTheFirst) {
  mocks::ManualTimerQueue timers;
  refserver::RefServerOptions options;
  options.faults.chunk_delay = 1h;
  options.timers = &timers;
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  std::atomic<bool> done{false};
  StreamOutcome outcome;
  std::thread client([&] {
    outcome = synthesize_online(*stub, 60s);
    done = true;
  });
  const std::size_t fired = fire_until(timers, [&] { return done.load(); });
  client.join();
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error_message();
  EXPECT_GE(outcome.chunks, 4u);
  EXPECT_EQ(fired, outcome.chunks - 1) << "one delay before each chunk but the first";
}

TEST(RefServerFaults, StalledStreamSendsOneChunkAndThenNothingUntilTheClientGivesUp) {
  refserver::RefServerOptions options;
  options.faults.stall_fraction = 1.0;
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  // The client gives up when the test says, once the stall has begun, not at a deadline that a loaded machine
  // could miss before the first chunk arrives.
  auto context = context_with_deadline(600s);
  std::atomic<std::size_t> chunks{0};
  grpc::Status status;
  std::thread client([&] {
    auto stream = stub->SynthesizeOnline(context.get());
    stream->Write(tts_request(kText));
    stream->WritesDone();
    tts::SynthesizeSpeechResponse response;
    while (stream->Read(&response)) ++chunks;
    status = stream->Finish();
  });
  const bool stalled = eventually([&] { return chunks.load() == 1 && server.tts().faults().stalled.load() == 1; });
  context->TryCancel();
  client.join();
  ASSERT_TRUE(stalled) << "no stall after one chunk; chunks read: " << chunks.load();
  EXPECT_EQ(chunks.load(), 1u);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << status.error_message();
  EXPECT_EQ(server.tts().faults().stalled.load(), 1u);
}

TEST(RefServerFaults, DroppedConnectionFailsThePickedStreamAndTheServerGoesOn) {
  refserver::RefServerOptions options;
  options.faults.drop_fraction = 0.5;  // the second of every two streams
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  const auto first = synthesize_online(*stub, 60s);
  const auto second = synthesize_online(*stub, 60s);
  // A new channel: the old one may still hand a call to the transport that was just closed ("Socket closed")
  // before it notices; that is the client's business, not the server's.
  auto fresh = tts::RivaSpeechSynthesis::NewStub(
      grpc::CreateCustomChannel(server.address(), grpc::InsecureChannelCredentials(), unshared_channel_args()));
  const auto third = synthesize_online(*fresh, 60s);
  EXPECT_TRUE(first.status.ok()) << first.status.error_message();
  EXPECT_EQ(second.status.error_code(), grpc::StatusCode::UNAVAILABLE) << second.status.error_message();
  // The connection closes once the first chunk has left the stream and before the next is written; whether
  // the first chunk's bytes reach the client before the close is a race, as in any real connection loss.
  EXPECT_LE(second.chunks, 1u);
  EXPECT_GT(first.chunks, 1u);
  EXPECT_TRUE(third.status.ok()) << "a new connection works: " << third.status.error_message();
  EXPECT_EQ(third.chunks, first.chunks);
  EXPECT_EQ(server.tts().faults().dropped.load(), 1u);
}

TEST(RefServerShutdown, EndsStalledStreamsInsteadOfHanging) {
  refserver::RefServerOptions options;
  options.faults.stall_fraction = 1.0;
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  StreamOutcome outcome;
  std::thread client([&] { outcome = synthesize_online(*stub, 600s); });
  ASSERT_TRUE(eventually([&] { return server.tts().faults().stalled.load() == 1; }));
  server.shutdown(100ms);  // returns only when every call has ended
  client.join();
  EXPECT_LE(outcome.chunks, 1u);
  EXPECT_FALSE(outcome.status.ok());
}

TEST(RefServerShutdown, LetsARunningRequestFinishWithinTheGrace) {
  mocks::ManualTimerQueue timers;
  refserver::RefServerOptions options;
  options.faults.first_response_delay = 1h;  // the request stays in the engine until the test fires its timer
  options.timers = &timers;
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  grpc::Status status;
  std::thread client([&] {
    tts::SynthesizeSpeechResponse response;
    auto context = context_with_deadline();
    status = stub->Synthesize(context.get(), tts_request(kText), &response);
  });
  ASSERT_TRUE(eventually([&] { return timers.size() == 1; }));
  std::thread stopper([&] { server.shutdown(60s); });
  // Stopping has begun (health says NOT_SERVING) while the request is still held in the engine...
  auto health = grpc::health::v1::Health::NewStub(dial(server));
  ASSERT_TRUE(eventually([&] {
    grpc::health::v1::HealthCheckResponse response;
    auto context = context_with_deadline();
    health->Check(context.get(), {}, &response);
    return response.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING;
  }));
  // ...and it still completes normally once its delay has passed.
  ASSERT_TRUE(timers.run_next());
  client.join();
  stopper.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace voxperf::testing
