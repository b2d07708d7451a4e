#include "harness/pipelines/riva_asr/asr_settings.h"

namespace voxperf {

nvidia::riva::asr::RecognitionConfig recognition_config(const AsrSettings& settings, int sample_rate, int channels) {
  nvidia::riva::asr::RecognitionConfig config;
  config.set_encoding(nvidia::riva::LINEAR_PCM);
  config.set_sample_rate_hertz(sample_rate);
  config.set_audio_channel_count(channels);
  config.set_language_code(settings.language_code);
  config.set_max_alternatives(1);
  config.set_model(settings.model);
  return config;
}

}  // namespace voxperf
