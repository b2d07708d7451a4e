#include "harness/pipelines/http_transcription/transcription_protocol.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace voxperf {
namespace {

using json = nlohmann::json;

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string error_message(const json& body) {
  const auto& error = body["error"];
  if (error.is_string()) return error.get<std::string>();
  if (error.is_object() && error.contains("message") && error["message"].is_string()) {
    return error["message"].get<std::string>();
  }
  return error.dump().substr(0, 200);
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

std::vector<FormPart> transcription_form(const HttpTranscriptionSettings& settings, const std::string& file_name,
                                         const std::string& wav_bytes, bool stream) {
  std::vector<FormPart> form;
  form.push_back({settings.file_field, wav_bytes, file_name, "audio/wav"});
  if (!settings.model_name.empty()) form.push_back({"model", settings.model_name, {}, {}});
  if (!settings.language.empty()) form.push_back({"language", settings.language, {}, {}});
  form.push_back({"response_format", settings.response_format, {}, {}});
  if (settings.temperature) form.push_back({"temperature", number_text(*settings.temperature), {}, {}});
  if (stream) form.push_back({"stream", "true", {}, {}});
  for (const auto& [name, value] : settings.form) form.push_back({name, value, {}, {}});
  return form;
}

TranscriptReading read_transcript(std::string_view body, std::string_view content_type,
                                  const std::string& response_format) {
  TranscriptReading reading;
  const json answer = json::parse(body, nullptr, false);
  if (!answer.is_discarded() && answer.is_object()) {
    if (answer.contains("error")) {
      reading.server_error = error_message(answer);
    } else if (answer.contains("text") && answer["text"].is_string()) {
      reading.text = trimmed(answer["text"].get<std::string>());
    } else {
      reading.problem = "a JSON answer without a string 'text'";
    }
    return reading;
  }
  const bool plain = content_type.find("text/plain") != std::string_view::npos ||
                     content_type.find("text/html") != std::string_view::npos;
  if (response_format == "text" || plain) {
    reading.text = trimmed(body);
    return reading;
  }
  reading.problem = "not JSON (response_format " + response_format + ", content type '" + std::string(content_type) + "')";
  return reading;
}

TranscriptReading read_transcript_event(std::string_view data) {
  TranscriptReading reading;
  const json event = json::parse(data, nullptr, false);
  if (event.is_discarded() || !event.is_object()) {
    reading.problem = "an event that is not a JSON object";
    return reading;
  }
  if (event.contains("error")) {
    reading.server_error = error_message(event);
    return reading;
  }
  const std::string type = event.value("type", std::string());
  if (type == "transcript.text.delta") {
    if (!event.contains("delta") || !event["delta"].is_string()) {
      reading.problem = "transcript.text.delta without a string 'delta'";
      return reading;
    }
    reading.delta = true;
    reading.text = event["delta"].get<std::string>();
    return reading;
  }
  if (type == "transcript.text.done") {
    if (!event.contains("text") || !event["text"].is_string()) {
      reading.problem = "transcript.text.done without a string 'text'";
      return reading;
    }
    reading.done = true;
    reading.text = trimmed(event["text"].get<std::string>());
    return reading;
  }
  if (event.contains("choices")) {  // vLLM: chat-completion-style chunks
    const auto& choices = event["choices"];
    if (!choices.is_array()) {
      reading.problem = "'choices' is not a list";
      return reading;
    }
    if (choices.empty()) return reading;  // the usage chunk
    const auto& choice = choices[0];
    if (!choice.is_object()) {
      reading.problem = "a choice that is not an object";
      return reading;
    }
    if (choice.contains("delta") && choice["delta"].is_object()) {
      const auto& delta = choice["delta"];
      if (delta.contains("content") && !delta["content"].is_string() && !delta["content"].is_null()) {
        reading.problem = "delta.content is not a string";
        return reading;
      }
      reading.delta = true;
      if (delta.contains("content") && delta["content"].is_string()) reading.text = delta["content"].get<std::string>();
    }
    return reading;
  }
  return reading;  // other event types (transcript.text.segment, logprobs ...) carry nothing we time
}

}  // namespace voxperf
