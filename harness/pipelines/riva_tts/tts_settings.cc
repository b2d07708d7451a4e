#include "harness/pipelines/riva_tts/tts_settings.h"

namespace voxperf {

nvidia::riva::tts::SynthesizeSpeechRequest synthesize_request(const TtsSettings& settings, const Prompt& prompt) {
  nvidia::riva::tts::SynthesizeSpeechRequest request;
  request.set_text(prompt.text);
  request.set_language_code(settings.language_code);
  request.set_encoding(nvidia::riva::LINEAR_PCM);
  request.set_sample_rate_hz(settings.sample_rate_hz);
  request.set_voice_name(settings.voice_name);
  return request;
}

ResponseEvent tts_response_event(const nvidia::riva::tts::SynthesizeSpeechResponse& response, int sample_rate_hz,
                                 TimePoint at) {
  ResponseEvent event;
  event.at = at;
  event.bytes = response.audio().size();
  if (event.bytes > 0) {
    event.kind = ResponseKind::kAudio;
    event.audio_seconds = static_cast<double>(event.bytes / 2) / static_cast<double>(sample_rate_hz);
  }
  return event;
}

}  // namespace voxperf
