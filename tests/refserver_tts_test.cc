// The reference server's TTS: espeak-ng audio over gRPC, batch and streaming.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "grpc/health/v1/health.grpc.pb.h"
#include "harness/wer.h"
#include "refserver_support.h"
#include "server/tts_service.h"

namespace voxperf::testing {
namespace {

namespace tts = nvidia::riva::tts;

const std::string kTwoSentences =
    "Benchmarks measure the time to first audio. They also measure tail latency at every concurrency.";

double seconds_of(const std::string& audio, int rate) { return static_cast<double>(audio.size()) / 2.0 / rate; }

TEST(RefServerTts, BatchAudioLastsAsLongAsTheTextTakesToSay) {
  refserver::RefServer server({});
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  const std::size_t words = transcript_words(kTwoSentences).size();
  double seconds_at[2] = {};
  const int rates[2] = {16000, 44100};
  for (int i = 0; i < 2; ++i) {
    tts::SynthesizeSpeechResponse response;
    auto context = context_with_deadline();
    const auto status = stub->Synthesize(context.get(), tts_request(kTwoSentences, rates[i]), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.audio().size() % 2, 0u) << "mono int16";
    ASSERT_NE(response.audio().substr(0, 4), "RIFF") << "no WAV header";
    seconds_at[i] = seconds_of(response.audio(), rates[i]);
  }
  // espeak-ng speaks at about 175 words a minute (0.34 s a word) plus pauses at the full stops.
  EXPECT_GT(seconds_at[0], 0.2 * static_cast<double>(words));
  EXPECT_LT(seconds_at[0], 0.6 * static_cast<double>(words));
  // Resampling changes the rate, not the duration.
  EXPECT_NEAR(seconds_at[1], seconds_at[0], 0.01);
}

TEST(RefServerTts, StreamingSendsSeveralChunksAndTheFirstBeforeSynthesisEnds) {
  // The engine is held before the second segment (sentence) until the client has its first chunk: the
  // client can only get it if the server sends audio while synthesis is still going on.
  std::mutex mutex;
  std::condition_variable changed;
  bool first_chunk_read = false, held_until_first_chunk = false;
  refserver::RefServerOptions options;
  options.tts_segment_hook = [&](std::size_t segment) {
    if (segment != 1) return;
    std::unique_lock lock(mutex);
    held_until_first_chunk = changed.wait_for(lock, std::chrono::seconds(30), [&] { return first_chunk_read; });
  };
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  auto context = context_with_deadline();
  auto stream = stub->SynthesizeOnline(context.get());
  ASSERT_TRUE(stream->Write(tts_request(kTwoSentences, 22050)));
  stream->WritesDone();
  tts::SynthesizeSpeechResponse response;
  std::size_t chunks = 0, bytes = 0;
  while (stream->Read(&response)) {
    if (++chunks == 1) {
      std::lock_guard lock(mutex);
      first_chunk_read = true;
      changed.notify_all();
    }
    bytes += response.audio().size();
  }
  const auto status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::lock_guard lock(mutex);
  EXPECT_TRUE(held_until_first_chunk);
  EXPECT_GE(chunks, 4u);
  EXPECT_GT(static_cast<double>(bytes) / 2 / 22050, 3.0);
}

TEST(RefServerTts, ConfigListsVoicesTheWayRivaClientsReadThem) {
  refserver::RefServerOptions options;
  options.profile = refserver::parse_profile("bs64");
  refserver::RefServer server(options);
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(server));
  tts::RivaSynthesisConfigResponse response;
  auto context = context_with_deadline();
  ASSERT_TRUE(stub->GetRivaSynthesisConfig(context.get(), {}, &response).ok());
  ASSERT_EQ(response.model_config_size(), 1);
  const auto& parameters = response.model_config(0).parameters();
  EXPECT_EQ(parameters.at("language_code"), "en-US");
  EXPECT_EQ(parameters.at("voice_name"), "English-US");
  EXPECT_EQ(parameters.at("subvoices"), "Female-1:0,Male-1:1");
  EXPECT_EQ(parameters.at("profile"), "bs64");
  EXPECT_EQ(parameters.at("max_batch_size"), "64");

  // Each full voice name (voice_name "." subvoice) synthesizes.
  for (const char* voice : {"English-US.Female-1", "English-US.Male-1"}) {
    auto request = tts_request("Hello there.");
    request.set_voice_name(voice);
    tts::SynthesizeSpeechResponse audio;
    auto call = context_with_deadline();
    const auto status = stub->Synthesize(call.get(), request, &audio);
    EXPECT_TRUE(status.ok()) << voice << ": " << status.error_message();
    EXPECT_GT(audio.audio().size(), 8000u) << voice;
  }
}

TEST(RefServerTts, HealthServiceAnswersServing) {
  refserver::RefServer server({});
  auto stub = grpc::health::v1::Health::NewStub(dial(server));
  for (const char* service : {"", "nvidia.riva.asr.RivaSpeechRecognition", "nvidia.riva.tts.RivaSpeechSynthesis"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    auto context = context_with_deadline();
    const auto status = stub->Check(context.get(), request, &response);
    ASSERT_TRUE(status.ok()) << service << ": " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

}  // namespace
}  // namespace voxperf::testing
