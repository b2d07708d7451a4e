// What the ASR service accepts, checked before any engine work: a LINEAR_PCM mono config at 8-48 kHz in a
// known language and model, and audio that really is 16-bit PCM. Failures are INVALID_ARGUMENT (or NOT_FOUND
// for an unknown model or language) with a message that names the field.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "riva/proto/riva_asr.pb.h"

namespace voxperf::refserver {

struct AsrModel {
  std::string name;  // "pocketsphinx-en-US-asr-streaming"
  std::string type;  // "online" or "offline", as Riva's config response says
};

const std::vector<AsrModel>& asr_models();

// A sample_rate_hertz of 0 is accepted here: the audio's WAV header may give it.
grpc::Status check_recognition_config(const nvidia::riva::asr::RecognitionConfig& config);

// Offline audio: raw LINEAR_PCM at the config's rate, or a whole 16-bit mono WAV file. On success fills
// `samples` and `sample_rate`.
grpc::Status read_offline_audio(const nvidia::riva::asr::RecognitionConfig& config, const std::string& audio,
                                std::vector<std::int16_t>& samples, int& sample_rate);

// The audio of one StreamingRecognize call: raw LINEAR_PCM at the config's rate, or a WAV file streamed from
// byte 0 (what NVIDIA's C++ and Python clients send: the header is in the first chunk and gives the rate).
class StreamAudio {
 public:
  explicit StreamAudio(int config_rate) : sample_rate_(config_rate) {}
  // Appends the samples of one audio_content message; a byte left over from an odd-sized chunk is carried
  // to the next.
  grpc::Status append(const std::string& chunk, std::vector<std::int16_t>& samples);
  // At the half-close: an odd byte left means the audio was not 16-bit PCM.
  grpc::Status finish() const;
  int sample_rate() const { return sample_rate_; }  // 0 until known

 private:
  bool first_ = true;
  int sample_rate_;
  std::string carry_;
};

}  // namespace voxperf::refserver
