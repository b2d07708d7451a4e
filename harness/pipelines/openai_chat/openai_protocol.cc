#include "harness/pipelines/openai_chat/openai_protocol.h"

#include <nlohmann/json.hpp>

namespace voxperf {

using json = nlohmann::json;

std::string api_path(const std::string& api) { return api == "chat" ? "/v1/chat/completions" : "/v1/completions"; }

std::string request_body(const OpenAiChatSettings& settings, const std::string& api, const LlmPrompt& prompt) {
  json body = {{"model", settings.model_name}, {"max_tokens", prompt.max_tokens}, {"stream", settings.stream}};
  if (api == "chat") {
    body["messages"] = json::array({{{"role", "user"}, {"content", prompt.text}}});
  } else {
    body["prompt"] = prompt.text;
  }
  if (settings.stream) body["stream_options"] = {{"include_usage", true}};
  if (settings.force_output_tokens) {
    body["min_tokens"] = prompt.max_tokens;
    body["ignore_eos"] = true;
  }
  for (auto it = settings.extra_body.begin(); it != settings.extra_body.end(); ++it) body[it.key()] = it.value();
  return body.dump();
}

namespace {

std::optional<std::size_t> count_field(const json& usage, const char* key) {
  auto it = usage.find(key);
  if (it == usage.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::size_t>();
}

}  // namespace

ChunkReading read_chunk(std::string_view body, const std::string& api, bool streamed) {
  ChunkReading out;
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    out.problem = "not a JSON object: " + std::string(body.substr(0, 80));
    return out;
  }
  if (auto error = doc.find("error"); error != doc.end() && !error->is_null()) {
    if (error->is_object() && error->contains("message") && (*error)["message"].is_string()) {
      out.server_error = (*error)["message"].get<std::string>();
    } else {
      out.server_error = error->dump();
    }
    return out;
  }
  if (auto usage = doc.find("usage"); usage != doc.end() && usage->is_object()) {
    out.prompt_tokens = count_field(*usage, "prompt_tokens");
    out.completion_tokens = count_field(*usage, "completion_tokens");
  }
  auto choices = doc.find("choices");
  if (choices == doc.end() || choices->is_null()) return out;  // e.g. the usage chunk, with "choices": [] or none
  if (!choices->is_array()) {
    out.problem = "\"choices\" is not an array";
    return out;
  }
  if (choices->empty()) return out;
  const json& choice = (*choices)[0];
  if (!choice.is_object()) {
    out.problem = "choices[0] is not an object";
    return out;
  }
  out.has_choices = true;
  const json* holder = &choice;
  const char* key = "text";
  if (api == "chat") {
    auto inner = choice.find(streamed ? "delta" : "message");
    if (inner == choice.end() || !inner->is_object()) {
      out.problem = std::string("choices[0].") + (streamed ? "delta" : "message") + " is missing";
      return out;
    }
    holder = &*inner;
    key = "content";
  }
  auto text = holder->find(key);
  if (text != holder->end() && !text->is_null()) {
    if (!text->is_string()) {
      out.problem = std::string(key) + " is not a string";
      return out;
    }
    out.text = text->get<std::string>();
  }
  return out;
}

}  // namespace voxperf
