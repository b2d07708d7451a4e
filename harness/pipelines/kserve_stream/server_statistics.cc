#include "harness/pipelines/kserve_stream/server_statistics.h"

#include <algorithm>

namespace voxperf {

std::map<std::string, double> server_breakdown(const inference::ModelStatistics& before,
                                               const inference::ModelStatistics& after) {
  std::map<std::string, double> out;
  const auto& b = before.inference_stats();
  const auto& a = after.inference_stats();
  auto mean_ms = [&](const char* name, const inference::StatisticDuration& from, const inference::StatisticDuration& to) {
    if (to.count() <= from.count() || to.ns() < from.ns()) return;
    out[name] = static_cast<double>(to.ns() - from.ns()) / static_cast<double>(to.count() - from.count()) / 1e6;
  };
  if (a.success().count() >= b.success().count()) {
    out["server_requests"] = static_cast<double>(a.success().count() - b.success().count());
  }
  mean_ms("server_request_ms", b.success(), a.success());
  mean_ms("server_queue_ms", b.queue(), a.queue());
  mean_ms("server_compute_input_ms", b.compute_input(), a.compute_input());
  mean_ms("server_compute_infer_ms", b.compute_infer(), a.compute_infer());
  mean_ms("server_compute_output_ms", b.compute_output(), a.compute_output());
  auto value = [&](const char* name) { return out.count(name) ? out.at(name) : 0.0; };
  if (out.count("server_compute_infer_ms")) {
    const double compute = value("server_compute_input_ms") + value("server_compute_infer_ms") +
                           value("server_compute_output_ms");
    out["server_compute_ms"] = compute;
    if (out.count("server_request_ms")) {
      out["server_overhead_ms"] = std::max(0.0, value("server_request_ms") - value("server_queue_ms") - compute);
    }
  }
  return out;
}

}  // namespace voxperf
