// How voxperf asks a Riva server to recognize speech.
#pragma once

#include <string>

#include "harness/grpc/call_settings.h"
#include "riva/proto/riva_asr.pb.h"

namespace voxperf {

struct AsrSettings {
  std::string language_code = "en-US";
  std::string model;  // empty: the server picks
  bool interim_results = true;  // streaming only
  Nanos chunk = std::chrono::milliseconds(160);  // streaming: audio per message
  bool real_time = true;  // streaming: send chunk i at first_chunk + i * chunk, as a live caller does
  CallSettings call;
};

// Raw PCM with encoding, rate and channels set explicitly (no WAV header is sent), as DESIGN.md asks.
nvidia::riva::asr::RecognitionConfig recognition_config(const AsrSettings& settings, int sample_rate, int channels);

}  // namespace voxperf
