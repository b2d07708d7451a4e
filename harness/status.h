// The outcome of a request, independent of the transport. gRPC codes are used as the common vocabulary
// (HTTP clients map their errors onto them); voxperf adds one code of its own for requests never sent.
#pragma once

#include <string>

namespace voxperf {

struct Status {
  static constexpr int kOk = 0;
  static constexpr int kUnsent = -1;  // the load model dropped it (open loop over its in-flight cap, or cancelled first)

  int code = kOk;  // gRPC status code (0..16) or kUnsent
  std::string message;
  // Errors reported inside a stream that stays open (Triton's error_message) carry a class of their own
  // ("sequence_not_started"), under which reports count them instead of the code.
  std::string error_class;

  static Status unsent() { return {kUnsent, "not sent", {}}; }
  bool ok() const { return code == kOk; }
};

// "OK", "DEADLINE_EXCEEDED", ..., "UNSENT": the names reports and baselines use.
const char* status_code_name(int code);

}  // namespace voxperf
