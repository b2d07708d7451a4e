// How an HTTP exchange ended, in voxperf's common vocabulary (harness/status.h): gRPC codes, with the HTTP
// status kept as the error class ("http_429"), so that reports count HTTP errors by their code.
#pragma once

#include <string>
#include <string_view>

#include "harness/status.h"

namespace voxperf {

// The gRPC code an HTTP status maps to, as gRPC's own HTTP-to-gRPC table does (doc/http-grpc-status-mapping):
// 400 INTERNAL, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE,
// any other non-2xx UNKNOWN; 2xx OK.
int grpc_code_for_http(long http_status);

// A response that came back whole with a non-2xx status: its code, class "http_<status>", and a message with
// the start of the body (servers explain themselves there: {"error": {"message": ...}}).
Status http_error(long http_status, std::string_view body_start, std::string_view endpoint);

// The class under which HTTP errors of `http_status` are counted: "http_429".
std::string http_error_class(long http_status);

}  // namespace voxperf
