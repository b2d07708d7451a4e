// GPU readings from NVML on this host: per GPU utilization, memory used/total, temperature, power draw and
// SM clock, and per MIG instance its memory. Where NVML answers "not supported" (utilization of a GPU in
// MIG mode, power on some boards) the value is empty, never 0.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/telemetry/gpu_reading.h"
#include "harness/telemetry/nvml_api.h"

namespace voxperf::telemetry {

class NvmlSource final : public GpuSource {
 public:
  // Initializes NVML through `api` and finds its GPUs. When that fails, problem() says why and read() is
  // empty.
  explicit NvmlSource(const NvmlApi& api);
  ~NvmlSource() override;
  NvmlSource(const NvmlSource&) = delete;
  NvmlSource& operator=(const NvmlSource&) = delete;

  // NVML of this machine (libnvidia-ml.so.1); never null, never throws: without a driver it has no GPUs.
  static std::unique_ptr<NvmlSource> open_system();

  std::string describe() const override { return "nvml"; }
  std::vector<GpuReading> read() override;
  std::string problem() const override { return problem_; }
  std::size_t gpus() const { return devices_.size(); }

 private:
  NvmlSource() = default;
  void read_memory(nvmlDevice_t device, std::optional<double>& used, std::optional<double>& total);
  NvmlApi api_{};
  bool initialized_ = false;
  std::vector<nvmlDevice_t> devices_;
  std::vector<std::string> names_;
  std::string problem_;
};

}  // namespace voxperf::telemetry
