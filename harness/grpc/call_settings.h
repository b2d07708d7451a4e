// What every gRPC call of a target carries: a deadline and metadata headers (authorization, function-id ...).
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>
#include <vector>

#include "harness/clock.h"
#include "harness/status.h"

namespace voxperf {

struct CallSettings {
  Nanos deadline = std::chrono::seconds(60);  // per request, from its start
  // Added per call with AddMetadata, which works over plaintext too (call credentials would not).
  // Keys must be lower-case. Values are secrets: never print them.
  std::vector<std::pair<std::string, std::string>> metadata;
};

void apply_call_settings(const CallSettings& settings, grpc::ClientContext& context);

Status to_status(const grpc::Status& status);

}  // namespace voxperf
