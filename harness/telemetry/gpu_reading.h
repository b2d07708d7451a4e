// One reading of the GPUs a case runs on, from NVML or from a server's metrics endpoint. A value NVML (or the
// endpoint) does not give, such as utilization of a MIG instance, is empty: shown as n/a, never as 0.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace voxperf::telemetry {

struct MigReading {
  unsigned index = 0;                 // MIG device index within its GPU
  std::optional<double> memory_used_mib;
  std::optional<double> memory_total_mib;
};

struct GpuReading {
  std::string id;    // "0" (NVML index), or the endpoint's gpu label / UUID
  std::string name;  // "NVIDIA H100 80GB HBM3"
  std::optional<double> utilization_pct;
  std::optional<double> memory_used_mib;
  std::optional<double> memory_total_mib;
  std::optional<double> temperature_c;
  std::optional<double> power_w;
  std::optional<double> sm_clock_mhz;
  bool mig = false;                   // MIG mode on
  std::vector<MigReading> mig_devices;
};

// Where readings come from: NVML on this host, or a Prometheus endpoint of the server's host.
class GpuSource {
 public:
  virtual ~GpuSource() = default;
  virtual std::string describe() const = 0;  // "nvml", "triton http://host:8002/metrics" ...
  // The GPUs now; empty when there are none. Throws nothing: a failed read is an empty reading.
  virtual std::vector<GpuReading> read() = 0;
  // Why the last read was empty ("libnvidia-ml.so.1: cannot open ...", "http://...: refused"); "" if it was not.
  virtual std::string problem() const { return {}; }
};

}  // namespace voxperf::telemetry
