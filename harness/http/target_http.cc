#include "harness/http/target_http.h"

#include "harness/targets/fields.h"

namespace voxperf {

HttpSettings http_settings(const Target& target, const std::string& address, bool http2) {
  HttpSettings http;
  const bool url = address.rfind("http://", 0) == 0 || address.rfind("https://", 0) == 0;
  http.base_url = url ? address : (target.tls.enabled ? "https://" : "http://") + address;
  http.http2 = http2;
  http.tls = target.tls;
  if (http.base_url.rfind("https://", 0) == 0) http.tls.enabled = true;
  http.headers = target.metadata;
  http.deadline = target.deadline;
  return http;
}

std::string served_models(HttpTransport& transport) {
  auto reply = transport.fetch({"GET", "/v1/models", "", {}});
  if (!reply.status.ok()) return nlohmann::json{{"error", reply.status.message}}.dump();
  const auto models = nlohmann::json::parse(reply.body, nullptr, false);
  if (models.is_discarded()) return nlohmann::json{{"error", "GET /v1/models: not JSON"}}.dump();
  return models.dump();
}

std::vector<std::pair<std::string, std::string>> form_fields(Fields& fields, const std::string& key) {
  std::vector<std::pair<std::string, std::string>> out;
  const nlohmann::json* object = fields.find(key);
  if (object == nullptr) return out;
  if (!object->is_object()) fields.fail(key, "must be an object of form fields, e.g. {\"beam_size\": \"5\"}");
  for (const auto& [name, value] : object->items()) {
    if (value.is_string()) {
      out.emplace_back(name, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      out.emplace_back(name, value.dump());
    } else {
      fields.fail(key + "." + name, "must be a string, number or boolean (a form field is text)");
    }
  }
  return out;
}

}  // namespace voxperf
