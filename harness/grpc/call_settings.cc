#include "harness/grpc/call_settings.h"

namespace voxperf {

void apply_call_settings(const CallSettings& settings, grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(settings.deadline));
  for (const auto& [key, value] : settings.metadata) context.AddMetadata(key, value);
}

Status to_status(const grpc::Status& status) {
  return {static_cast<int>(status.error_code()), status.error_message(), {}};
}

}  // namespace voxperf
