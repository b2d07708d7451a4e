// GPU readings from a server host's Prometheus metrics: Triton's own (nv_gpu_*) or NVIDIA's DCGM exporter's
// (DCGM_FI_DEV_*), one reading per GPU label. Units as each exporter documents them: Triton utilization is
// a fraction (0-1), memory in bytes, power in W; DCGM utilization in %, frame buffer in MiB, power in W,
// temperature in C, SM clock in MHz.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "harness/telemetry/gpu_reading.h"
#include "harness/telemetry/prometheus_text.h"

namespace voxperf::telemetry {

enum class MetricsFlavor { kTriton, kDcgm };

std::vector<GpuReading> readings_from_metrics(const std::vector<MetricSample>& samples, MetricsFlavor flavor);

// Fetches a URL and returns the body; throws std::runtime_error naming the URL on any failure.
using HttpGet = std::function<std::string(const std::string& url, std::chrono::milliseconds timeout)>;
// libcurl: plain HTTP or HTTPS with the system's roots, following no redirects.
std::string curl_get(const std::string& url, std::chrono::milliseconds timeout);

class MetricsEndpointSource final : public GpuSource {
 public:
  MetricsEndpointSource(std::string url, MetricsFlavor flavor, HttpGet get = curl_get,
                        std::chrono::milliseconds timeout = std::chrono::seconds(2));
  std::string describe() const override;
  // An endpoint that does not answer, or answers with something else, gives an empty reading (n/a);
  // problem() says why.
  std::vector<GpuReading> read() override;
  std::string problem() const override;

 private:
  std::string url_;
  MetricsFlavor flavor_;
  HttpGet get_;
  std::chrono::milliseconds timeout_;
  mutable std::mutex mutex_;
  std::string problem_;
};

}  // namespace voxperf::telemetry
