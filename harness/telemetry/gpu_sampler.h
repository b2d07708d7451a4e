// Samples a GpuSource on its own thread while a window is measured: one reading at start(), one every
// interval (default 0.5 s), one at stop(). The load is not touched: reading NVML takes microseconds, and a
// slow metrics endpoint delays only this thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "harness/telemetry/gpu_reading.h"

namespace voxperf::telemetry {

class GpuSampler {
 public:
  GpuSampler(GpuSource& source, std::chrono::milliseconds interval = std::chrono::milliseconds(500));
  ~GpuSampler();  // stops a running sampler
  GpuSampler(const GpuSampler&) = delete;
  GpuSampler& operator=(const GpuSampler&) = delete;

  void start();
  // Returns the readings since start(), oldest first (at least two: at start and at stop).
  std::vector<std::vector<GpuReading>> stop();

 private:
  void run();

  GpuSource& source_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::vector<GpuReading>> samples_;
  std::thread thread_;
};

}  // namespace voxperf::telemetry
