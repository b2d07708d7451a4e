#include "harness/pipelines/http_speech/speech_settings.h"

#include "harness/http/target_http.h"
#include "harness/targets/fields.h"

namespace voxperf {

void HttpSpeechSettings::describe(nlohmann::json& target) const {
  target["data"] = data.string();
  target["dialect"] = dialect;
  target["path"] = path;
  target["model_name"] = model_name;
  target["voice"] = voice;
  target["response_format"] = response_format;
  target["speed"] = speed;
  target["sample_rate_hz"] = sample_rate_hz;
  target["extra_body"] = extra_body;
  nlohmann::json extra = nlohmann::json::object();
  for (const auto& [name, value] : form) extra[name] = value;
  target["form"] = extra;
  target["http2"] = http2;
}

std::vector<std::string> http_speech_fields() {
  return {"data", "dialect", "path", "model_name", "voice", "response_format", "speed", "sample_rate_hz",
          "extra_body", "form", "http2"};
}

std::shared_ptr<HttpSpeechSettings> parse_http_speech(Fields& fields, const std::string& model,
                                                      const std::filesystem::path& base) {
  auto s = std::make_shared<HttpSpeechSettings>();
  s->data = fields.existing_file("data", *fields.string("data", true), base);
  if (auto v = fields.string("dialect")) {
    if (*v != "openai" && *v != "cosyvoice") fields.fail("dialect", "'" + *v + "': use openai or cosyvoice");
    s->dialect = *v;
  }
  const bool openai = s->dialect == "openai";
  s->path = openai ? "/v1/audio/speech" : "/inference_sft";
  if (auto v = fields.string("path")) {
    if (v->empty() || v->front() != '/') fields.fail("path", "must start with '/', e.g. " + s->path);
    s->path = *v;
  }
  s->model_name = fields.string("model_name").value_or(model);
  if (auto v = fields.string("voice")) s->voice = *v;
  if (auto v = fields.string("response_format")) {
    if (!openai) fields.fail("response_format", "applies to the openai dialect; cosyvoice always sends raw PCM");
    if (*v != "pcm" && *v != "wav") {
      fields.fail("response_format", "'" + *v + "' can not be timed to the sample here; use pcm or wav");
    }
    s->response_format = *v;
  }
  if (auto v = fields.number("speed", 0.25, 4.0)) {
    if (!openai) fields.fail("speed", "applies to the openai dialect");
    s->speed = *v;
  }
  s->sample_rate_hz = openai ? 24000 : 22050;
  if (auto v = fields.integer("sample_rate_hz", 8000, 192000)) s->sample_rate_hz = static_cast<int>(*v);
  if (const nlohmann::json* extra = fields.find("extra_body")) {
    if (!openai) fields.fail("extra_body", "applies to the openai dialect (JSON bodies); cosyvoice takes form");
    if (!extra->is_object()) fields.fail("extra_body", "must be an object, merged into every request body");
    s->extra_body = *extra;
  }
  if (fields.has("form") && openai) fields.fail("form", "applies to the cosyvoice dialect; openai takes extra_body");
  s->form = form_fields(fields, "form");
  if (auto v = fields.boolean("http2")) s->http2 = *v;
  return s;
}

}  // namespace voxperf
