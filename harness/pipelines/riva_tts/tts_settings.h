// How voxperf asks a Riva server to synthesize speech.
#pragma once

#include <string>

#include "harness/grpc/call_settings.h"
#include "harness/prompts.h"
#include "harness/request_record.h"
#include "riva/proto/riva_tts.pb.h"

namespace voxperf {

struct TtsSettings {
  std::string voice_name;  // empty: the server's default voice
  std::string language_code = "en-US";
  int sample_rate_hz = 22050;
  CallSettings call;
};

// LINEAR_PCM request for one prompt.
nvidia::riva::tts::SynthesizeSpeechRequest synthesize_request(const TtsSettings& settings, const Prompt& prompt);

// One response: kAudio with its duration (mono int16 at the requested rate) when it carries samples,
// kEmpty otherwise (a header chunk).
ResponseEvent tts_response_event(const nvidia::riva::tts::SynthesizeSpeechResponse& response, int sample_rate_hz,
                                 TimePoint at);

}  // namespace voxperf
