// What every HTTP pipeline does with its target the same way: the endpoint as a base URL, and the reading of
// the common targets-file fields that only HTTP pipelines have.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "harness/http/http_transport.h"
#include "harness/targets/target.h"

namespace voxperf {

class Fields;

// The HTTP settings of a target: its endpoint as a base URL (host:port gets http://, or https:// with tls),
// its headers, TLS, deadline and HTTP version.
HttpSettings http_settings(const Target& target, const std::string& address, bool http2);

// GET /v1/models as JSON text, the server config of OpenAI-style targets: {"error": "..."} when it did not
// answer or did not answer JSON.
std::string served_models(HttpTransport& transport);

// An object of string fields ("form": {"beam_size": "5"}): numbers and booleans are written as text, the way
// a form carries them. Fails naming the key for anything else.
std::vector<std::pair<std::string, std::string>> form_fields(Fields& fields, const std::string& key);

}  // namespace voxperf
