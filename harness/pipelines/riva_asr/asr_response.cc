#include "harness/pipelines/riva_asr/asr_response.h"

#include <algorithm>

namespace voxperf {

ResponseEvent asr_response_event(const nvidia::riva::asr::StreamingRecognizeResponse& response, TimePoint at) {
  ResponseEvent event;
  event.at = at;
  event.bytes = response.ByteSizeLong();
  std::string finals, partials;
  bool has_final = false;
  for (const auto& result : response.results()) {
    event.audio_seconds = std::max(event.audio_seconds, static_cast<double>(result.audio_processed()));
    if (result.alternatives().empty()) continue;
    const auto& transcript = result.alternatives(0).transcript();
    if (result.is_final()) {
      has_final = true;
      finals += transcript;
    } else if (result.stability() != 1.0f) {
      partials += transcript;
    }
  }
  if (has_final) {
    event.kind = ResponseKind::kFinal;
    event.text = std::move(finals);
  } else if (!partials.empty()) {
    event.kind = ResponseKind::kPartial;
    event.text = std::move(partials);
  }
  return event;
}

ResponseEvent asr_response_event(const nvidia::riva::asr::RecognizeResponse& response, TimePoint at) {
  ResponseEvent event;
  event.at = at;
  event.kind = ResponseKind::kFinal;
  event.bytes = response.ByteSizeLong();
  for (const auto& result : response.results()) {
    event.audio_seconds = std::max(event.audio_seconds, static_cast<double>(result.audio_processed()));
    if (!result.alternatives().empty()) event.text += result.alternatives(0).transcript();
  }
  return event;
}

}  // namespace voxperf
