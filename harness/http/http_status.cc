#include "harness/http/http_status.h"

namespace voxperf {

int grpc_code_for_http(long http_status) {
  if (http_status >= 200 && http_status < 300) return Status::kOk;
  switch (http_status) {
    case 400: return 13;  // INTERNAL
    case 401: return 16;  // UNAUTHENTICATED
    case 403: return 7;   // PERMISSION_DENIED
    case 404: return 12;  // UNIMPLEMENTED
    case 429:
    case 502:
    case 503:
    case 504: return 14;  // UNAVAILABLE
    default: return 2;    // UNKNOWN
  }
}

std::string http_error_class(long http_status) { return "http_" + std::to_string(http_status); }

Status http_error(long http_status, std::string_view body_start, std::string_view endpoint) {
  constexpr std::size_t kShown = 300;  // enough for a server's error object, short enough for a log line
  std::string body(body_start.substr(0, kShown));
  for (char& c : body) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::string message = std::string(endpoint) + ": HTTP " + std::to_string(http_status);
  if (!body.empty()) message += ": " + body + (body_start.size() > kShown ? "..." : "");
  return {grpc_code_for_http(http_status), message, http_error_class(http_status)};
}

}  // namespace voxperf
