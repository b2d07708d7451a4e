// The Riva protocol clients against gMock fake servers: what goes on the wire and what gets recorded.
#include <gtest/gtest.h>

#include "harness/input_error.h"
#include "harness/load_driver.h"
#include "harness/pipelines/riva_asr/asr_offline_client.h"
#include "harness/pipelines/riva_asr/asr_recognize_request.h"
#include "harness/pipelines/riva_asr/asr_stream_client.h"
#include "harness/pipelines/riva_tts/tts_batch_client.h"
#include "harness/pipelines/riva_tts/tts_stream_client.h"
#include "harness/window_metrics.h"
#include "mocks/fake_riva_server.h"
#include "mocks/server_probe.h"

namespace voxperf {
namespace {

using mocks::AsrStream;
using mocks::TtsStream;
using namespace std::chrono_literals;
namespace asr = nvidia::riva::asr;
namespace tts = nvidia::riva::tts;

Utterance make_utterance(std::size_t samples, std::string text) {
  Utterance u;
  u.id = "utt-" + std::to_string(samples);
  u.text = std::move(text);
  u.audio.sample_rate = 16000;
  u.audio.channels = 1;
  u.audio.samples.resize(samples);
  for (std::size_t i = 0; i < samples; ++i) u.audio.samples[i] = static_cast<std::int16_t>(i % 3000);
  return u;
}

// What a fake streaming ASR server saw on one stream.
struct AsrWire {
  asr::StreamingRecognitionConfig config;
  bool first_was_config = false;
  bool later_had_config = false;
  std::vector<std::size_t> chunk_bytes;
  std::string audio;
};

TEST(RivaAsrStreamClient, SendsConfigThenPacedChunksThenHalfCloseAndRecordsTranscripts) {
  ::testing::NiceMock<mocks::MockRivaAsr> service;
  std::mutex mutex;
  AsrWire wire;
  EXPECT_CALL(service, StreamingRecognize).WillOnce([&](grpc::ServerContext*, AsrStream* stream) {
    asr::StreamingRecognizeRequest request;
    std::lock_guard lock(mutex);
    wire.first_was_config = stream->Read(&request) && request.has_streaming_config();
    wire.config = request.streaming_config();
    while (stream->Read(&request)) {  // until the client half-closes
      wire.later_had_config |= request.has_streaming_config();
      wire.chunk_bytes.push_back(request.audio_content().size());
      wire.audio += request.audio_content();
      asr::StreamingRecognizeResponse partial;
      auto* result = partial.add_results();
      result->add_alternatives()->set_transcript(wire.chunk_bytes.size() == 1 ? "hel" : "hello wor");
      result->set_audio_processed(static_cast<float>(wire.audio.size()) / 32000.0f);
      stream->Write(partial);
    }
    asr::StreamingRecognizeResponse final_response;
    auto* result = final_response.add_results();
    result->set_is_final(true);
    result->add_alternatives()->set_transcript("hello world");
    stream->Write(final_response);
    return grpc::Status::OK;
  });
  mocks::FakeServer server({&service});
  ChannelPool channels(server.endpoint());
  ThreadTimerQueue timers;
  const std::vector<Utterance> utterances{make_utterance(7200, "Hello, world!")};  // 0.45 s
  AsrSettings settings;
  settings.chunk = 100ms;  // 3,200 bytes at 16 kHz
  settings.model = "parakeet-ctc";
  RivaAsrStreamClient client(channels, utterances, settings, timers);
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = 1;
  const auto result = driver.run(spec);

  std::lock_guard lock(mutex);
  EXPECT_TRUE(wire.first_was_config);
  EXPECT_FALSE(wire.later_had_config);
  EXPECT_EQ(wire.config.config().encoding(), nvidia::riva::LINEAR_PCM);
  EXPECT_EQ(wire.config.config().sample_rate_hertz(), 16000);
  EXPECT_EQ(wire.config.config().audio_channel_count(), 1);
  EXPECT_EQ(wire.config.config().language_code(), "en-US");
  EXPECT_EQ(wire.config.config().model(), "parakeet-ctc");
  EXPECT_TRUE(wire.config.interim_results());
  EXPECT_EQ(wire.chunk_bytes, (std::vector<std::size_t>{3200, 3200, 3200, 3200, 1600}));
  const auto sent = utterances[0].audio.bytes();
  EXPECT_EQ(wire.audio, std::string(reinterpret_cast<const char*>(sent.data()), sent.size()));

  ASSERT_EQ(result.records.size(), 1u);
  const auto& r = result.records[0];
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_EQ(r.chunks_sent, 5u);
  ASSERT_TRUE(r.first_chunk_sent && r.last_chunk_sent);
  // The pacer never sends chunk i before first + i * chunk (a lower bound, so load can not break it).
  EXPECT_GE(*r.last_chunk_sent - *r.first_chunk_sent, 400ms);
  EXPECT_EQ(final_transcript(r), "hello world");
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.first_partial.count(), 1u);
  EXPECT_EQ(m.server_tail.count(), 1u);
  EXPECT_EQ(m.word_errors.reference_words, 2u);
  EXPECT_EQ(m.word_errors.errors(), 0u);  // "Hello, world!" normalizes to the hypothesis
  EXPECT_DOUBLE_EQ(audio_seconds(r), 0.45);
}

TEST(RivaAsrStreamClient, UnpacedModeSendsEveryChunk) {
  ::testing::NiceMock<mocks::MockRivaAsr> service;
  std::atomic<std::size_t> bytes{0};
  EXPECT_CALL(service, StreamingRecognize).Times(3).WillRepeatedly([&](grpc::ServerContext*, AsrStream* stream) {
    asr::StreamingRecognizeRequest request;
    while (stream->Read(&request)) bytes += request.audio_content().size();
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unsupported sample rate");
  });
  mocks::FakeServer server({&service});
  ChannelPool channels(server.endpoint());
  ThreadTimerQueue timers;
  const std::vector<Utterance> utterances{make_utterance(16000, "x")};
  AsrSettings settings;
  settings.real_time = false;
  RivaAsrStreamClient client(channels, utterances, settings, timers);
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = 3;
  spec.concurrency = 3;
  const auto result = driver.run(spec);
  EXPECT_EQ(bytes.load(), 3u * 32000u);
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.errors_by_status.at("INVALID_ARGUMENT"), 3u);
  EXPECT_EQ(result.records[0].status.message, "unsupported sample rate");
}

TEST(RivaAsrOfflineClient, RequestBytesAreTheMessageProtobufWouldSerialize) {
  // The pre-serialized request (config, then the audio referenced in place) must be byte for byte what
  // protobuf gives for the same message, so that any server parses it alike.
  const Utterance utterance = make_utterance(1601, "odd length");
  AsrSettings settings;
  settings.model = "parakeet";
  asr::RecognizeRequest expected;
  *expected.mutable_config() = recognition_config(settings, 16000, 1);
  const auto audio = utterance.audio.bytes();
  expected.set_audio(audio.data(), audio.size());
  const grpc::ByteBuffer buffer = recognize_request(utterance, settings);
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  EXPECT_EQ(bytes, expected.SerializeAsString());
  EXPECT_EQ(slices.back().begin(), reinterpret_cast<const std::uint8_t*>(audio.data()));  // referenced, not copied
}

TEST(RivaAsrOfflineClient, SendsWholeUtteranceAndRecordsTranscript) {
  ::testing::NiceMock<mocks::MockRivaAsr> service;
  EXPECT_CALL(service, Recognize)
      .Times(2)
      .WillRepeatedly([](grpc::ServerContext*, const asr::RecognizeRequest* request, asr::RecognizeResponse* response) {
        EXPECT_EQ(request->audio().size(), 8000u);  // raw PCM, no WAV header
        EXPECT_EQ(static_cast<unsigned char>(request->audio()[2]), 1u);  // sample 1 is 1, little-endian
        EXPECT_EQ(static_cast<unsigned char>(request->audio()[7998]), 999u % 256u);  // sample 3999 is 999
        EXPECT_EQ(request->config().encoding(), nvidia::riva::LINEAR_PCM);
        auto* result = response->add_results();
        result->add_alternatives()->set_transcript("one two three");
        result->set_audio_processed(0.25f);
        return grpc::Status::OK;
      });
  mocks::FakeServer server({&service});
  ChannelPool channels(server.endpoint());
  ThreadTimerQueue timers;
  const std::vector<Utterance> utterances{make_utterance(4000, "one two three four")};
  RivaAsrOfflineClient client(channels, utterances, AsrSettings{});
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = 2;
  const auto result = driver.run(spec);
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 2u);
  EXPECT_EQ(m.word_errors.reference_words, 8u);
  EXPECT_EQ(m.word_errors.deletions, 2u);
  EXPECT_EQ(final_transcript(result.records[0]), "one two three");
}

TEST(RivaTtsClients, BatchAndStreamSendTheRequestedVoiceAndRate) {
  ::testing::NiceMock<mocks::MockRivaTts> service;
  EXPECT_CALL(service, Synthesize)
      .WillOnce([](grpc::ServerContext*, const tts::SynthesizeSpeechRequest* request,
                   tts::SynthesizeSpeechResponse* response) {
        EXPECT_EQ(request->voice_name(), "English-US.Female-1");
        EXPECT_EQ(request->sample_rate_hz(), 22050);
        EXPECT_EQ(request->encoding(), nvidia::riva::LINEAR_PCM);
        response->set_audio(std::string(44100, '\0'));  // 22,050 samples = 1 s
        return grpc::Status::OK;
      });
  std::atomic<int> requests_on_stream{0};
  EXPECT_CALL(service, SynthesizeOnline).WillOnce([&](grpc::ServerContext*, TtsStream* stream) {
    tts::SynthesizeSpeechRequest request;
    while (stream->Read(&request)) ++requests_on_stream;  // exactly one, then the half-close
    tts::SynthesizeSpeechResponse response;
    response.set_audio(std::string(22050, '\0'));
    stream->Write(response);
    stream->Write(response);
    return grpc::Status::OK;
  });
  mocks::FakeServer server({&service});
  ChannelPool channels(server.endpoint());
  ThreadTimerQueue timers;
  const std::vector<Prompt> prompts{{"p", "Hello there."}};
  TtsSettings settings;
  settings.voice_name = "English-US.Female-1";

  RivaTtsBatchClient batch(channels, prompts, settings);
  LoadDriver batch_driver(batch, timers);
  LoadSpec spec;
  spec.requests = 1;
  const auto batch_result = batch_driver.run(spec);
  ASSERT_TRUE(batch_result.records[0].ok());
  EXPECT_DOUBLE_EQ(audio_seconds(batch_result.records[0]), 1.0);
  EXPECT_EQ(batch_result.records[0].text_chars, 12u);

  RivaTtsStreamClient stream(channels, prompts, settings);
  LoadDriver stream_driver(stream, timers);
  const auto stream_result = stream_driver.run(spec);
  ASSERT_TRUE(stream_result.records[0].ok());
  EXPECT_EQ(requests_on_stream.load(), 1);
  EXPECT_EQ(stream_result.records[0].responses.size(), 2u);
  EXPECT_DOUBLE_EQ(audio_seconds(stream_result.records[0]), 1.0);
}

TEST(RivaTtsClients, MetadataHeadersReachTheServer) {
  ::testing::NiceMock<mocks::MockRivaTts> service;
  EXPECT_CALL(service, Synthesize)
      .WillOnce([](grpc::ServerContext* context, const tts::SynthesizeSpeechRequest*, tts::SynthesizeSpeechResponse*) {
        const auto& metadata = context->client_metadata();
        const auto auth = metadata.find("authorization");
        const auto function = metadata.find("function-id");
        if (auth == metadata.end() || auth->second != "Bearer test-key" || function == metadata.end()) {
          return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "missing credentials");
        }
        return grpc::Status::OK;
      });
  mocks::FakeServer server({&service});
  ChannelPool channels(server.endpoint());
  ThreadTimerQueue timers;
  const std::vector<Prompt> prompts{{"p", "Hi."}};
  TtsSettings settings;
  settings.call.metadata = {{"authorization", "Bearer test-key"}, {"function-id", "0000-1111"}};
  RivaTtsBatchClient client(channels, prompts, settings);
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = 1;
  EXPECT_TRUE(driver.run(spec).records[0].ok());
}

TEST(ChannelPool, SpreadsRequestsOverSeparateConnections) {
  ::testing::NiceMock<mocks::MockRivaTts> service;
  mocks::PeerSet peers;
  EXPECT_CALL(service, Synthesize)
      .Times(8)
      .WillRepeatedly([&](grpc::ServerContext* context, const tts::SynthesizeSpeechRequest*,
                          tts::SynthesizeSpeechResponse*) {
        peers.add(context->peer());
        return grpc::Status::OK;
      });
  mocks::FakeServer server({&service});
  ChannelPool channels(server.endpoint(4));
  channels.wait_connected(10s);
  ThreadTimerQueue timers;
  const std::vector<Prompt> prompts{{"p", "Hi."}};
  RivaTtsBatchClient client(channels, prompts, TtsSettings{});
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = 8;
  spec.concurrency = 2;
  driver.run(spec);
  EXPECT_EQ(peers.size(), 4u);  // one client address:port per channel
}

TEST(ChannelPool, UnreachableEndpointIsNamed) {
  Endpoint endpoint;
  endpoint.address = "127.0.0.1:1";  // nothing listens on port 1
  ChannelPool channels(endpoint);
  try {
    channels.wait_connected(300ms);
    FAIL() << "connected to nothing";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("endpoint 127.0.0.1:1: not reachable"), std::string::npos) << e.what();
  }
  // Requests to it end UNAVAILABLE (or at their deadline), never hang.
  ThreadTimerQueue timers;
  const std::vector<Prompt> prompts{{"p", "Hi."}};
  TtsSettings settings;
  settings.call.deadline = 2s;
  RivaTtsStreamClient client(channels, prompts, settings);
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.requests = 3;
  for (const auto& r : driver.run(spec).records) {
    EXPECT_TRUE(r.status.code == static_cast<int>(grpc::StatusCode::UNAVAILABLE) ||
                r.status.code == static_cast<int>(grpc::StatusCode::DEADLINE_EXCEEDED))
        << status_code_name(r.status.code);
  }
  EXPECT_THROW(ChannelPool(Endpoint{}), InputError);
}

}  // namespace
}  // namespace voxperf
