// Bad requests get INVALID_ARGUMENT or NOT_FOUND with a message that names the field and what to do.
#include <gtest/gtest.h>

#include "refserver_support.h"
#include "wav_writer.h"

namespace voxperf::testing {
namespace {

namespace asr = nvidia::riva::asr;
namespace tts = nvidia::riva::tts;

class RefServerBadRequests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new refserver::RefServer({}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static grpc::Status synthesize(const tts::SynthesizeSpeechRequest& request) {
    auto stub = tts::RivaSpeechSynthesis::NewStub(dial(*server_));
    tts::SynthesizeSpeechResponse response;
    auto context = context_with_deadline();
    return stub->Synthesize(context.get(), request, &response);
  }
  static grpc::Status recognize(const asr::RecognitionConfig& config, const std::string& audio) {
    auto stub = asr::RivaSpeechRecognition::NewStub(dial(*server_));
    asr::RecognizeRequest request;
    *request.mutable_config() = config;
    request.set_audio(audio);
    asr::RecognizeResponse response;
    auto context = context_with_deadline();
    return stub->Recognize(context.get(), request, &response);
  }
  // Writes `requests` on one StreamingRecognize stream, half-closes, and returns the final status.
  static grpc::Status stream(const std::vector<asr::StreamingRecognizeRequest>& requests) {
    auto stub = asr::RivaSpeechRecognition::NewStub(dial(*server_));
    auto context = context_with_deadline();
    auto call = stub->StreamingRecognize(context.get());
    for (const auto& request : requests) {
      if (!call->Write(request)) break;
    }
    call->WritesDone();
    asr::StreamingRecognizeResponse response;
    while (call->Read(&response)) {
    }
    return call->Finish();
  }

  static refserver::RefServer* server_;
};
refserver::RefServer* RefServerBadRequests::server_ = nullptr;

void expect_status(const grpc::Status& status, grpc::StatusCode code, const std::string& mentions) {
  EXPECT_EQ(status.error_code(), code) << status.error_message();
  EXPECT_NE(status.error_message().find(mentions), std::string::npos)
      << "message '" << status.error_message() << "' should mention '" << mentions << "'";
}

TEST_F(RefServerBadRequests, Tts) {
  auto request = tts_request("Hello.");
  request.set_voice_name("Magpie-Multilingual.EN-US.Aria");
  expect_status(synthesize(request), grpc::StatusCode::NOT_FOUND, "Magpie-Multilingual.EN-US.Aria");

  expect_status(synthesize(tts_request("  ")), grpc::StatusCode::INVALID_ARGUMENT, "text is empty");

  request = tts_request("Hello.");
  request.set_encoding(nvidia::riva::OGGOPUS);
  expect_status(synthesize(request), grpc::StatusCode::INVALID_ARGUMENT, "OGGOPUS");

  expect_status(synthesize(tts_request("Hello.", 4000)), grpc::StatusCode::INVALID_ARGUMENT, "sample_rate_hz 4000");

  request = tts_request("Hallo.");
  request.set_language_code("de-DE");
  expect_status(synthesize(request), grpc::StatusCode::NOT_FOUND, "de-DE");
}

TEST_F(RefServerBadRequests, SynthesizeOnlineTakesOneRequestPerStream) {
  auto stub = tts::RivaSpeechSynthesis::NewStub(dial(*server_));
  auto context = context_with_deadline();
  auto call = stub->SynthesizeOnline(context.get());
  call->Write(tts_request("First sentence."));
  call->Write(tts_request("Second sentence."));
  call->WritesDone();
  tts::SynthesizeSpeechResponse response;
  while (call->Read(&response)) {
  }
  expect_status(call->Finish(), grpc::StatusCode::INVALID_ARGUMENT, "one request per stream");
}

TEST_F(RefServerBadRequests, AsrConfig) {
  auto config = asr_config();
  config.set_model("parakeet-ctc-1.1b-en-us");
  expect_status(recognize(config, std::string(3200, '\0')), grpc::StatusCode::NOT_FOUND, "parakeet-ctc-1.1b-en-us");

  config = asr_config();
  config.set_language_code("fr-FR");
  expect_status(recognize(config, std::string(3200, '\0')), grpc::StatusCode::NOT_FOUND, "fr-FR");

  config = asr_config();
  config.set_encoding(nvidia::riva::FLAC);
  expect_status(recognize(config, std::string(3200, '\0')), grpc::StatusCode::INVALID_ARGUMENT, "FLAC");

  expect_status(recognize(asr_config(100), std::string(3200, '\0')), grpc::StatusCode::INVALID_ARGUMENT,
                "sample_rate_hertz 100");

  config = asr_config();
  config.set_audio_channel_count(2);
  expect_status(recognize(config, std::string(3200, '\0')), grpc::StatusCode::INVALID_ARGUMENT, "mono");
}

TEST_F(RefServerBadRequests, AsrAudioThatIsNotPcm16) {
  expect_status(recognize(asr_config(), std::string(3201, '\0')), grpc::StatusCode::INVALID_ARGUMENT,
                "not 16-bit PCM");
  expect_status(recognize(asr_config(), ""), grpc::StatusCode::INVALID_ARGUMENT, "audio is empty");

  // A WAV file of 32-bit float samples (format tag 3).
  const auto wav = make_wav(std::vector<std::int16_t>(3200, 0), 16000, 1, 0, 3, 32);
  const std::string bytes(wav.bytes().begin(), wav.bytes().end());
  expect_status(recognize(asr_config(), bytes), grpc::StatusCode::INVALID_ARGUMENT, "16-bit PCM");
}

TEST_F(RefServerBadRequests, StreamingMustStartWithItsConfig) {
  asr::StreamingRecognizeRequest audio;
  audio.set_audio_content(std::string(3200, '\0'));
  expect_status(stream({audio}), grpc::StatusCode::INVALID_ARGUMENT, "must carry streaming_config");

  asr::StreamingRecognizeRequest config;
  *config.mutable_streaming_config()->mutable_config() = asr_config();
  expect_status(stream({config, audio, config}), grpc::StatusCode::INVALID_ARGUMENT,
                "streaming_config may only be the first message");

  asr::StreamingRecognizeRequest odd;
  odd.set_audio_content(std::string(3201, '\0'));
  expect_status(stream({config, odd}), grpc::StatusCode::INVALID_ARGUMENT, "odd number of bytes");

  asr::StreamingRecognizeRequest header;
  header.set_audio_content("RIFF" + std::string(3196, '\0'));
  expect_status(stream({config, header}), grpc::StatusCode::INVALID_ARGUMENT, "WAV header");

  expect_status(stream({}), grpc::StatusCode::INVALID_ARGUMENT, "ended before its first message");

  asr::StreamingRecognizeRequest no_rate;
  *no_rate.mutable_streaming_config()->mutable_config() = asr_config(0);
  expect_status(stream({no_rate, audio}), grpc::StatusCode::INVALID_ARGUMENT, "no WAV header");
}

}  // namespace
}  // namespace voxperf::testing
