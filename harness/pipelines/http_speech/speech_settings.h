// The targets-file fields of an http_speech target: streaming TTS over HTTP in one of two dialects
// (../shared/facts/http-speech.md, 1.2 and 3.1):
//   openai     POST /v1/audio/speech, JSON {model, input, voice, response_format pcm|wav, speed}; mode "audio"
//              streams the bytes (chunked), mode "sse" asks for stream_format "sse" (speech.audio.delta events
//              of base64 PCM, then speech.audio.done). PCM is int16 mono at sample_rate_hz (24000 by default).
//   cosyvoice  CosyVoice's FastAPI /inference_sft, a form {tts_text, spk_id}; raw int16 mono PCM with no content
//              type at all, so the rate can only come from here: 22050 (CosyVoice 1) by default, 24000 for
//              CosyVoice 2 and 3.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/pipelines/pipeline.h"

namespace voxperf {

class Fields;

struct HttpSpeechSettings final : PipelineSettings {
  std::filesystem::path data;      // prompts, one per line
  std::string dialect = "openai";  // openai or cosyvoice
  std::string path = "/v1/audio/speech";  // cosyvoice: /inference_sft (parse sets it)
  std::string model_name;          // openai `model`
  std::string voice;               // openai `voice`, cosyvoice `spk_id`
  std::string response_format = "pcm";  // openai: pcm or wav
  double speed = 1.0;                   // openai
  int sample_rate_hz = 24000;           // of raw PCM and SSE audio; a WAV answer's header says its own
  nlohmann::json extra_body = nlohmann::json::object();  // openai: merged into the JSON body
  std::vector<std::pair<std::string, std::string>> form;  // cosyvoice: extra form fields
  bool http2 = false;

  void describe(nlohmann::json& target) const override;
};

std::vector<std::string> http_speech_fields();
std::shared_ptr<HttpSpeechSettings> parse_http_speech(Fields& fields, const std::string& model,
                                                      const std::filesystem::path& base);

}  // namespace voxperf
