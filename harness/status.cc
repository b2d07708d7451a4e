#include "harness/status.h"

#include <iterator>

namespace voxperf {

const char* status_code_name(int code) {
  static const char* const kNames[] = {
      "OK",           "CANCELLED",           "UNKNOWN",        "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
      "NOT_FOUND",    "ALREADY_EXISTS",      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",      "OUT_OF_RANGE",        "UNIMPLEMENTED",  "INTERNAL",         "UNAVAILABLE",
      "DATA_LOSS",    "UNAUTHENTICATED"};
  if (code == Status::kUnsent) return "UNSENT";
  if (code >= 0 && code < static_cast<int>(std::size(kNames))) return kNames[code];
  return "INVALID_CODE";
}

}  // namespace voxperf
