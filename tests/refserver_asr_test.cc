// The reference server's ASR against real speech: Debian's LibriVox recordings (and the shared speech set
// when present) transcribed over gRPC, offline and streaming, through voxperf's own Riva clients.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "harness/grpc/channel_pool.h"
#include "harness/load_driver.h"
#include "harness/manifest.h"
#include "harness/request_metrics.h"
#include "harness/pipelines/riva_asr/asr_offline_client.h"
#include "harness/pipelines/riva_asr/asr_stream_client.h"
#include "harness/wer.h"
#include "refserver_support.h"
#include "server/asr_service.h"

namespace voxperf::testing {
namespace {

using namespace std::chrono_literals;
namespace asr = nvidia::riva::asr;

// Measured on Debian 12 with pocketsphinx 5prealpha and its en-us model (README, "Reference server").
// The five LibriVox recordings: offline 20 errors in 71 words (28.2 %), streaming 19 (26.8 %); plain
// pocketsphinx makes the same mistakes ("prudently" -> "prickly"). Decoders keep their channel-adapted
// cepstral mean from utterance to utterance, so which decoder served what can move a word or two: the
// bounds leave four words of room.
constexpr double kLibrivoxOfflineWerBound = 0.34;
constexpr double kLibrivoxStreamingWerBound = 0.33;
// Offline decodes the whole utterance at once, streaming 160 ms at a time: they may differ by a few words.
constexpr long kMostWordsStreamingMayDiffer = 4;
// The shared set (21 LibriSpeech and LJSpeech utterances, 326 words): offline 83 to 85 errors (25.5-26.1 %).
constexpr double kSharedWerBound = 0.31;

struct Transcribed {
  WordErrors errors;
  std::size_t partials = 0;
  double audio_seconds = 0, audio_processed = 0;
};

Transcribed transcribe(RequestClient& client, std::size_t requests, std::size_t concurrency, TimerQueue& timers) {
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = requests;
  spec.concurrency = concurrency;
  const auto result = driver.run(spec);
  Transcribed out;
  for (const auto& record : result.records) {
    EXPECT_TRUE(record.ok()) << record.item << ": " << record.status.message;
    out.errors += word_errors(record.reference, final_transcript(record));
    out.audio_seconds += record.audio_seconds_in;
    for (const auto& response : record.responses) {
      if (response.kind == ResponseKind::kPartial) ++out.partials;
      if (response.kind == ResponseKind::kFinal) out.audio_processed += response.audio_seconds;
    }
  }
  return out;
}

// A fresh server per test: decoders adapt to what they have heard, so a test's transcripts must not depend
// on which tests ran before it in the same process.
class RefServerAsr : public ::testing::Test {
 protected:
  void SetUp() override {
    refserver::RefServerOptions options;
    options.profile = refserver::parse_profile("bs4");
    server_ = std::make_unique<refserver::RefServer>(options);
  }
  std::unique_ptr<refserver::RefServer> server_;
};

TEST_F(RefServerAsr, OfflineAndStreamingTranscribeLibrivoxAlike) {
  const auto utterances = load_utterances(kLibrivoxManifest);
  ChannelPool channels(endpoint(*server_));
  ThreadTimerQueue timers;

  RivaAsrOfflineClient offline_client(channels, utterances, AsrSettings{});
  const auto offline = transcribe(offline_client, utterances.size(), 2, timers);

  AsrSettings streaming_settings;
  streaming_settings.real_time = false;  // same decoding, without waiting 25 s for the audio to play out
  RivaAsrStreamClient stream_client(channels, utterances, streaming_settings, timers);
  const auto streaming = transcribe(stream_client, utterances.size(), 2, timers);

  std::printf("LibriVox WER: offline %.4f (%zu errors / %zu words), streaming %.4f (%zu / %zu)\n",
              offline.errors.rate(), offline.errors.errors(), offline.errors.reference_words,
              streaming.errors.rate(), streaming.errors.errors(), streaming.errors.reference_words);
  EXPECT_GT(offline.errors.reference_words, 50u);
  EXPECT_LT(offline.errors.rate(), kLibrivoxOfflineWerBound);
  EXPECT_LT(streaming.errors.rate(), kLibrivoxStreamingWerBound);
  EXPECT_LE(std::abs(static_cast<long>(offline.errors.errors()) - static_cast<long>(streaming.errors.errors())),
            kMostWordsStreamingMayDiffer);
  // Interim results were asked for and came; audio_processed covers the audio sent.
  EXPECT_GT(streaming.partials, utterances.size());
  EXPECT_NEAR(streaming.audio_processed, streaming.audio_seconds, 0.01);
  EXPECT_NEAR(offline.audio_processed, offline.audio_seconds, 0.01);
}

TEST_F(RefServerAsr, SharedSpeechSetWerStaysNearTheMeasuredValue) {
  if (!std::filesystem::exists(kSharedSpeech)) GTEST_SKIP() << "shared speech set not present: " << kSharedSpeech;
  const auto utterances = load_utterances(kSharedSpeech);
  ChannelPool channels(endpoint(*server_));
  ThreadTimerQueue timers;
  RivaAsrOfflineClient client(channels, utterances, AsrSettings{});
  const auto offline = transcribe(client, utterances.size(), 2, timers);
  std::printf("shared set WER: offline %.4f (%zu / %zu)\n", offline.errors.rate(), offline.errors.errors(),
              offline.errors.reference_words);
  EXPECT_LT(offline.errors.rate(), kSharedWerBound);
}

TEST_F(RefServerAsr, SilenceGivesAnEmptyFinalTranscriptNotAnError) {
  // pocketsphinx returns no hypothesis at all (a null pointer) for near-silent audio.
  auto stub = asr::RivaSpeechRecognition::NewStub(dial(*server_));
  asr::RecognizeRequest request;
  *request.mutable_config() = asr_config();
  request.set_audio(std::string(16000 * 2, '\0'));  // 1 s of digital silence
  asr::RecognizeResponse response;
  auto context = context_with_deadline();
  const auto status = stub->Recognize(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.results(0).alternatives(0).transcript(), "");
  EXPECT_FLOAT_EQ(response.results(0).audio_processed(), 1.0f);

  // The same in a stream: a final result with an empty transcript.
  auto stream_context = context_with_deadline();
  auto stream = stub->StreamingRecognize(stream_context.get());
  asr::StreamingRecognizeRequest config;
  *config.mutable_streaming_config()->mutable_config() = asr_config();
  config.mutable_streaming_config()->set_interim_results(true);
  ASSERT_TRUE(stream->Write(config));
  asr::StreamingRecognizeRequest audio;
  audio.set_audio_content(std::string(8000 * 2, '\0'));
  ASSERT_TRUE(stream->Write(audio));
  stream->WritesDone();
  asr::StreamingRecognizeResponse streamed;
  bool final_seen = false;
  while (stream->Read(&streamed)) {
    for (const auto& result : streamed.results()) {
      if (!result.is_final()) continue;
      final_seen = true;
      EXPECT_EQ(result.alternatives(0).transcript(), "");
      EXPECT_FLOAT_EQ(result.audio_processed(), 0.5f);
    }
  }
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_TRUE(final_seen);
}

TEST_F(RefServerAsr, RecognizeAcceptsAWholeWavFileAndResamples) {
  // What NVIDIA's Python client sends for offline recognition: the file's bytes, header included.
  const auto entries = read_manifest(kLibrivoxManifest);
  std::ifstream in(entries[1].audio, std::ios::binary);
  const std::string wav((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto stub = asr::RivaSpeechRecognition::NewStub(dial(*server_));
  asr::RecognizeRequest request;
  auto config = asr_config();
  config.set_sample_rate_hertz(0);  // the header gives it
  *request.mutable_config() = config;
  request.set_audio(wav);
  asr::RecognizeResponse response;
  auto context = context_with_deadline();
  auto status = stub->Recognize(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string from_wav = response.results(0).alternatives(0).transcript();
  // "he was not an ill disposed young man": pocketsphinx hears "until this blows" for "an ill disposed".
  EXPECT_LE(word_errors(entries[1].text, from_wav).errors(), 3u) << from_wav;

  // The same speech sent as raw PCM at 8 kHz comes back through the resampler close to the original.
  auto audio = read_wav(entries[1].audio);
  std::vector<std::int16_t> downsampled;
  for (std::size_t i = 0; i + 1 < audio.samples.size(); i += 2) {
    downsampled.push_back(static_cast<std::int16_t>((audio.samples[i] + audio.samples[i + 1]) / 2));
  }
  *request.mutable_config() = asr_config(8000);
  request.set_audio(std::string(reinterpret_cast<const char*>(downsampled.data()), downsampled.size() * 2));
  auto context8 = context_with_deadline();
  status = stub->Recognize(context8.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NEAR(response.results(0).audio_processed(), audio.seconds(), 0.01);
  EXPECT_LE(word_errors(entries[1].text, response.results(0).alternatives(0).transcript()).rate(), 0.5)
      << response.results(0).alternatives(0).transcript();
}

TEST_F(RefServerAsr, StreamingAcceptsAWavFileSentFromByteZeroLikeNvidiasClients) {
  // NVIDIA's Python streaming script sends the file from offset 0 in slices, with neither encoding nor
  // sample_rate_hertz set: the server must take both from the header in the first chunk.
  const auto entries = read_manifest(kLibrivoxManifest);
  std::ifstream in(entries[1].audio, std::ios::binary);
  const std::string wav((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto stub = asr::RivaSpeechRecognition::NewStub(dial(*server_));
  auto context = context_with_deadline();
  auto stream = stub->StreamingRecognize(context.get());
  asr::StreamingRecognizeRequest config;
  config.mutable_streaming_config()->mutable_config()->set_language_code("en-US");
  config.mutable_streaming_config()->set_interim_results(true);
  ASSERT_TRUE(stream->Write(config));
  for (std::size_t at = 0; at < wav.size(); at += 3201) {  // odd slices: samples straddle messages too
    asr::StreamingRecognizeRequest audio;
    audio.set_audio_content(wav.substr(at, 3201));
    ASSERT_TRUE(stream->Write(audio));
  }
  stream->WritesDone();
  asr::StreamingRecognizeResponse response;
  std::string final_transcript;
  float processed = 0;
  while (stream->Read(&response)) {
    for (const auto& result : response.results()) {
      if (!result.is_final()) continue;
      final_transcript += result.alternatives(0).transcript();
      processed = result.audio_processed();
    }
  }
  const auto status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LE(word_errors(entries[1].text, final_transcript).errors(), 3u) << final_transcript;
  EXPECT_NEAR(processed, read_wav(entries[1].audio).seconds(), 0.001) << "the header is not audio";
}

TEST_F(RefServerAsr, ConfigListsOnlineAndOfflineModelsWithTheProfile) {
  auto stub = asr::RivaSpeechRecognition::NewStub(dial(*server_));
  asr::RivaSpeechRecognitionConfigResponse response;
  auto context = context_with_deadline();
  ASSERT_TRUE(stub->GetRivaSpeechRecognitionConfig(context.get(), {}, &response).ok());
  ASSERT_EQ(response.model_config_size(), 2);
  std::set<std::string> types;
  for (const auto& model : response.model_config()) {
    types.insert(model.parameters().at("type"));
    EXPECT_EQ(model.parameters().at("language_code"), "en-US");
    EXPECT_EQ(model.parameters().at("profile"), "bs4");
    EXPECT_EQ(model.parameters().at("max_batch_size"), "4");
  }
  EXPECT_EQ(types, (std::set<std::string>{"online", "offline"}));
}

}  // namespace
}  // namespace voxperf::testing
