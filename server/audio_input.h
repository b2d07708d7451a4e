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

// `offline`: a Recognize call, whose audio may start with a WAV header that gives the rate.
grpc::Status check_recognition_config(const nvidia::riva::asr::RecognitionConfig& config, bool offline);

// Offline audio: raw LINEAR_PCM at the config's rate, or a whole 16-bit mono WAV file. On success fills
// `samples` and `sample_rate`.
grpc::Status read_offline_audio(const nvidia::riva::asr::RecognitionConfig& config, const std::string& audio,
                                std::vector<std::int16_t>& samples, int& sample_rate);

// Appends the samples of one streaming audio chunk; a byte left over from an odd-sized chunk is carried in
// `carry` to the next. Rejects a WAV header, which must not be streamed.
grpc::Status append_stream_audio(const std::string& chunk, bool first_chunk, std::string& carry,
                                 std::vector<std::int16_t>& samples);

}  // namespace voxperf::refserver
