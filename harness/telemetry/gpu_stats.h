// GPU figures of a window: peak and mean of each reading over the samples taken during it (pure functions of
// the readings). Several GPUs are combined per sample first: utilization and SM clock averaged, memory and
// power summed, temperature the hottest. Empty when no sample had the value: n/a.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/telemetry/gpu_reading.h"

namespace voxperf::telemetry {

struct PeakMean {
  std::optional<double> peak;
  std::optional<double> mean;
};

struct GpuStats {
  std::size_t samples = 0;
  std::string gpus;  // "NVIDIA H100 80GB HBM3 (MIG)", or "" when no GPU was seen
  PeakMean utilization_pct;
  PeakMean memory_used_mib;
  PeakMean temperature_c;
  PeakMean power_w;
  PeakMean sm_clock_mhz;
  std::map<std::string, PeakMean> mig_memory_mib;  // "GPU 0 MIG 1" -> its memory used
};

GpuStats summarize_gpu(std::span<const std::vector<GpuReading>> samples);

// Several windows (a target's cases) as one: peaks the largest, means weighted by each window's samples.
GpuStats combine_windows(std::span<const GpuStats> windows);

// Accumulates PeakMean over values; empty optional values are skipped.
class PeakMeanAccumulator {
 public:
  void add(std::optional<double> value);
  PeakMean result() const;

 private:
  std::size_t n_ = 0;
  double sum_ = 0.0;
  double peak_ = 0.0;
};

}  // namespace voxperf::telemetry
