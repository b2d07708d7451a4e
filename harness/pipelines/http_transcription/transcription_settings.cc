#include "harness/pipelines/http_transcription/transcription_settings.h"

#include "harness/http/target_http.h"
#include "harness/targets/fields.h"

namespace voxperf {

void HttpTranscriptionSettings::describe(nlohmann::json& target) const {
  target["data"] = data.string();
  target["path"] = path;
  target["file_field"] = file_field;
  target["model_name"] = model_name;
  target["language"] = language;
  target["response_format"] = response_format;
  target["temperature"] = temperature ? nlohmann::json(*temperature) : nlohmann::json(nullptr);
  nlohmann::json extra = nlohmann::json::object();
  for (const auto& [name, value] : form) extra[name] = value;
  target["form"] = extra;
  target["http2"] = http2;
}

std::vector<std::string> http_transcription_fields() {
  return {"data", "path", "file_field", "model_name", "language", "response_format", "temperature", "form", "http2"};
}

std::shared_ptr<HttpTranscriptionSettings> parse_http_transcription(Fields& fields, const std::string& model,
                                                                    const std::filesystem::path& base) {
  auto s = std::make_shared<HttpTranscriptionSettings>();
  s->data = fields.existing_file("data", *fields.string("data", true), base);
  if (auto v = fields.string("path")) {
    if (v->empty() || v->front() != '/') fields.fail("path", "must start with '/', e.g. /v1/audio/transcriptions or /inference");
    s->path = *v;
  }
  if (auto v = fields.string("file_field")) {
    if (v->empty()) fields.fail("file_field", "must name the form field that carries the audio file");
    s->file_field = *v;
  }
  s->model_name = fields.string("model_name").value_or(model);
  if (auto v = fields.string("language")) s->language = *v;
  if (auto v = fields.string("response_format")) {
    if (*v != "json" && *v != "text" && *v != "verbose_json") {
      fields.fail("response_format", "'" + *v + "' is not read here; use json, text or verbose_json");
    }
    s->response_format = *v;
  }
  if (const nlohmann::json* t = fields.find("temperature"); t != nullptr && t->is_null()) {
    s->temperature.reset();
  } else if (auto v = fields.number("temperature", 0.0, 1.0)) {
    s->temperature = *v;
  }
  s->form = form_fields(fields, "form");
  for (const auto& [name, value] : s->form) {
    if (name == s->file_field || name == "stream") fields.fail("form." + name, "is set by voxperf itself");
  }
  if (auto v = fields.boolean("http2")) s->http2 = *v;
  return s;
}

}  // namespace voxperf
