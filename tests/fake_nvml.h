// A fake NVML for tests on machines without a GPU: an NvmlApi function table whose entry points read one
// FakeNvml object, scripted per test (GPUs, MIG instances, fields that answer "not supported").
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "harness/telemetry/nvml_api.h"

namespace voxperf::telemetry::testing {

struct FakeGpu {
  std::string name = "NVIDIA H100 80GB HBM3";
  unsigned utilization = 0;  // percent
  unsigned long long memory_used = 0, memory_total = 80ull << 30;
  unsigned temperature = 0;  // C
  unsigned power_mw = 0;
  unsigned sm_clock = 0;
  bool power_supported = true;
  bool mig = false;
  // Present MIG instances: slot index and memory used / total; other slots are empty.
  struct Instance {
    unsigned slot;
    unsigned long long used, total;
  };
  std::vector<Instance> instances;
};

struct FakeNvml {
  nvmlReturn_t init_result = kNvmlSuccess;
  std::vector<FakeGpu> gpus;
  int inits = 0, shutdowns = 0, reads = 0;
};

inline FakeNvml*& fake() {
  static FakeNvml* current = nullptr;
  return current;
}

// Handles encode the GPU index, and the MIG slot for MIG instances: 1 + gpu * 100 + (slot + 1) * 10000.
inline nvmlDevice_t handle(std::size_t gpu, int slot = -1) {
  return reinterpret_cast<nvmlDevice_t>(1 + gpu * 100 + static_cast<std::size_t>(slot + 1) * 10000);
}
inline std::size_t gpu_of(nvmlDevice_t d) { return (reinterpret_cast<std::size_t>(d) - 1) % 10000 / 100; }
inline int slot_of(nvmlDevice_t d) { return static_cast<int>((reinterpret_cast<std::size_t>(d) - 1) / 10000) - 1; }

inline NvmlApi fake_nvml_api() {
  NvmlApi api{};
  api.init = [] { return ++fake()->inits, fake()->init_result; };
  api.shutdown = [] { return ++fake()->shutdowns, kNvmlSuccess; };
  api.error_string = [](nvmlReturn_t r) { return r == 9 ? "Driver Not Loaded" : "error"; };
  api.device_count = [](unsigned* n) { return *n = static_cast<unsigned>(fake()->gpus.size()), kNvmlSuccess; };
  api.device_by_index = [](unsigned i, nvmlDevice_t* d) { return *d = handle(i), kNvmlSuccess; };
  api.name = [](nvmlDevice_t d, char* out, unsigned n) {
    std::strncpy(out, fake()->gpus[gpu_of(d)].name.c_str(), n - 1);
    return kNvmlSuccess;
  };
  api.utilization = [](nvmlDevice_t d, nvmlUtilization_t* u) {
    ++fake()->reads;
    const auto& gpu = fake()->gpus[gpu_of(d)];
    if (gpu.mig) return kNvmlErrorNotSupported;  // as real NVML under MIG
    u->gpu = gpu.utilization;
    u->memory = 0;
    return kNvmlSuccess;
  };
  api.memory = [](nvmlDevice_t d, nvmlMemory_t* m) {
    const auto& gpu = fake()->gpus[gpu_of(d)];
    if (slot_of(d) >= 0) {
      for (const auto& instance : gpu.instances) {
        if (static_cast<int>(instance.slot) == slot_of(d)) {
          *m = {instance.total, instance.total - instance.used, instance.used};
          return kNvmlSuccess;
        }
      }
      return kNvmlErrorNotFound;
    }
    *m = {gpu.memory_total, gpu.memory_total - gpu.memory_used, gpu.memory_used};
    return kNvmlSuccess;
  };
  api.temperature = [](nvmlDevice_t d, unsigned, unsigned* t) {
    return *t = fake()->gpus[gpu_of(d)].temperature, kNvmlSuccess;
  };
  api.power_mw = [](nvmlDevice_t d, unsigned* p) {
    const auto& gpu = fake()->gpus[gpu_of(d)];
    if (!gpu.power_supported) return kNvmlErrorNotSupported;
    return *p = gpu.power_mw, kNvmlSuccess;
  };
  api.clock_mhz = [](nvmlDevice_t d, unsigned, unsigned* c) { return *c = fake()->gpus[gpu_of(d)].sm_clock, kNvmlSuccess; };
  api.mig_mode = [](nvmlDevice_t d, unsigned* current, unsigned* pending) {
    *current = *pending = fake()->gpus[gpu_of(d)].mig ? kNvmlMigEnabled : 0;
    return kNvmlSuccess;
  };
  api.max_mig_devices = [](nvmlDevice_t d, unsigned* n) { return *n = fake()->gpus[gpu_of(d)].mig ? 7 : 0, kNvmlSuccess; };
  api.mig_device_by_index = [](nvmlDevice_t d, unsigned slot, nvmlDevice_t* out) {
    for (const auto& instance : fake()->gpus[gpu_of(d)].instances) {
      if (instance.slot == slot) return *out = handle(gpu_of(d), static_cast<int>(slot)), kNvmlSuccess;
    }
    return kNvmlErrorNotFound;
  };
  return api;
}

}  // namespace voxperf::telemetry::testing
