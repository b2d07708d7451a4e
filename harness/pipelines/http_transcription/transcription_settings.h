// The targets-file fields of an http_transcription target: Whisper-style ASR over HTTP, one utterance uploaded
// per request as multipart/form-data. The route, the file field's name and extra form fields are settable,
// because servers differ (../shared/facts/http-speech.md, 2 and 4): OpenAI, vLLM and speaches take
// /v1/audio/transcriptions with `file` and `model`; whisper.cpp takes /inference with no `model`; a FastAPI
// service like the seed's has routes and fields of its own.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/pipelines/pipeline.h"

namespace voxperf {

class Fields;

struct HttpTranscriptionSettings final : PipelineSettings {
  std::filesystem::path data;                   // manifest of utterances with reference transcripts
  std::string path = "/v1/audio/transcriptions";
  std::string file_field = "file";
  std::string model_name;                       // sent as `model`; empty: no model field (whisper.cpp)
  std::string language = "en";                  // sent as `language`; empty: not sent
  std::string response_format = "json";         // json, text or verbose_json
  std::optional<double> temperature = 0.0;      // sent as `temperature`; unset: not sent
  std::vector<std::pair<std::string, std::string>> form;  // extra form fields, sent as given
  bool http2 = false;

  void describe(nlohmann::json& target) const override;
};

std::vector<std::string> http_transcription_fields();
std::shared_ptr<HttpTranscriptionSettings> parse_http_transcription(Fields& fields, const std::string& model,
                                                                    const std::filesystem::path& base);

}  // namespace voxperf
