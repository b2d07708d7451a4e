// Triton's own account of a window, as perf_analyzer prints it: ModelStatistics read when the window begins
// and when it ends, the cumulative counters differenced, each duration divided by its count.
#pragma once

#include <map>
#include <string>

#include "kserve/grpc_service.pb.h"

namespace voxperf {

// "server_requests", "server_request_ms" (success), "server_queue_ms", "server_compute_input_ms",
// "server_compute_infer_ms", "server_compute_output_ms", "server_compute_ms" (the three summed), and
// "server_overhead_ms" (request - queue - compute, floored at 0); a figure whose count did not move is absent.
std::map<std::string, double> server_breakdown(const inference::ModelStatistics& before,
                                               const inference::ModelStatistics& after);

}  // namespace voxperf
