// The gRPC transport of a target, for the pipelines that speak gRPC: its channels (channels, TLS, message
// limit) and what every call carries (deadline, metadata), from the target's common settings.
#pragma once

#include <grpcpp/grpcpp.h>
#include <google/protobuf/util/json_util.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/grpc/call_settings.h"
#include "harness/grpc/channel_pool.h"
#include "harness/status.h"
#include "harness/targets/target.h"

namespace voxperf {

// Lazily connecting: an unreachable endpoint shows up as UNAVAILABLE errors in the cases, not here.
std::unique_ptr<ChannelPool> open_channels(const Target& target, const std::string& address);

CallSettings call_settings(const Target& target);

// Asks a server's unary "Get...Config" method (empty request) and returns its answer as JSON text with the
// proto's field names, or {"error": "STATUS: message"}; 10 s deadline, the target's metadata.
template <class Stub, class Request, class Response>
std::string config_json(Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                        const Target& target) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [key, value] : target.metadata) context.AddMetadata(key, value);
  Response response;
  const grpc::Status status = (stub.*method)(&context, Request{}, &response);
  if (!status.ok()) {
    return nlohmann::json{{"error", std::string(status_code_name(status.error_code())) + ": " +
                                        status.error_message()}}.dump();
  }
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(response, &text, options);
  return text;
}

}  // namespace voxperf
