// Shared by the reference-server tests: starting a server in process, dialing it, and the data they use.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "harness/grpc/channel_pool.h"
#include "riva/proto/riva_asr.grpc.pb.h"
#include "riva/proto/riva_tts.grpc.pb.h"
#include "server/ref_server.h"

namespace voxperf::testing {

inline const std::filesystem::path kLibrivoxManifest = std::filesystem::path(VOXPERF_SOURCE_DIR) / "data/librivox.jsonl";
inline const std::filesystem::path kSharedSpeech =
    std::filesystem::path(VOXPERF_SOURCE_DIR) / "../shared/data/speech/public/manifest.jsonl";

inline std::shared_ptr<grpc::Channel> dial(const refserver::RefServer& server) {
  return grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
}

inline Endpoint endpoint(const refserver::RefServer& server) {
  Endpoint endpoint;
  endpoint.address = server.address();
  return endpoint;
}

inline std::unique_ptr<grpc::ClientContext> context_with_deadline(
    std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + limit);
  return context;
}

inline nvidia::riva::tts::SynthesizeSpeechRequest tts_request(const std::string& text, int rate = 16000) {
  nvidia::riva::tts::SynthesizeSpeechRequest request;
  request.set_text(text);
  request.set_language_code("en-US");
  request.set_encoding(nvidia::riva::LINEAR_PCM);
  request.set_sample_rate_hz(rate);
  return request;
}

inline nvidia::riva::asr::RecognitionConfig asr_config(int rate = 16000) {
  nvidia::riva::asr::RecognitionConfig config;
  config.set_encoding(nvidia::riva::LINEAR_PCM);
  config.set_sample_rate_hertz(rate);
  config.set_language_code("en-US");
  config.set_audio_channel_count(1);
  return config;
}

// Polls `condition` (not a timing assertion: it only bounds how long a broken server can hang the test).
template <class Condition>
bool eventually(Condition condition, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace voxperf::testing
