#include "harness/pipelines/registry.h"

#include "harness/pipelines/http_speech/speech_pipeline.h"
#include "harness/pipelines/http_transcription/transcription_pipeline.h"
#include "harness/pipelines/kserve_stream/kserve_pipeline.h"
#include "harness/pipelines/openai_chat/openai_pipeline.h"
#include "harness/pipelines/riva_asr/asr_pipeline.h"
#include "harness/pipelines/riva_tts/tts_pipeline.h"

namespace voxperf {

const std::vector<const Pipeline*>& pipelines() {
  static const RivaAsrPipeline riva_asr;
  static const RivaTtsPipeline riva_tts;
  static const KServeStreamPipeline kserve_stream;
  static const OpenAiChatPipeline openai_chat;
  static const HttpTranscriptionPipeline http_transcription;
  static const HttpSpeechPipeline http_speech;
  static const std::vector<const Pipeline*> all = {&riva_asr, &riva_tts, &kserve_stream, &openai_chat,
                                                   &http_transcription, &http_speech};
  return all;
}

const Pipeline* find_pipeline(const std::string& kind) {
  for (const Pipeline* pipeline : pipelines()) {
    if (pipeline->kind() == kind) return pipeline;
  }
  return nullptr;
}

std::string pipeline_kinds() {
  std::string out;
  for (const Pipeline* pipeline : pipelines()) out += (out.empty() ? "" : ", ") + pipeline->kind();
  return out;
}

}  // namespace voxperf
