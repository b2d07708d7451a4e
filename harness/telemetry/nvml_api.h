// The part of NVML (libnvidia-ml.so.1) that voxperf uses, declared here so that building needs no CUDA or
// driver headers: the library is opened at run time with dlopen, and a machine without a GPU or driver simply
// has no NVML. Tests inject their own function table (a fake NVML).
#pragma once

#include <optional>
#include <string>

namespace voxperf::telemetry {

// Types and values as in NVIDIA's nvml.h.
struct nvmlDevice_st;
using nvmlDevice_t = nvmlDevice_st*;
using nvmlReturn_t = int;
inline constexpr nvmlReturn_t kNvmlSuccess = 0;
inline constexpr nvmlReturn_t kNvmlErrorNotSupported = 3;
inline constexpr nvmlReturn_t kNvmlErrorNotFound = 6;
inline constexpr unsigned kNvmlTemperatureGpu = 0;  // nvmlTemperatureSensors_t
inline constexpr unsigned kNvmlClockSm = 1;         // nvmlClockType_t
inline constexpr unsigned kNvmlMigEnabled = 1;      // NVML_DEVICE_MIG_ENABLE

struct nvmlUtilization_t {
  unsigned int gpu;     // percent of time a kernel ran over the last sample period
  unsigned int memory;
};
struct nvmlMemory_t {
  unsigned long long total;  // bytes
  unsigned long long free;
  unsigned long long used;   // includes the driver's reserved memory (about 480 MiB on an H100)
};
// nvmlDeviceGetMemoryInfo_v2 (drivers from R510): `used` without the reserved memory, as nvidia-smi shows it.
struct nvmlMemory_v2_t {
  unsigned int version;  // kNvmlMemoryV2
  unsigned long long total;
  unsigned long long reserved;
  unsigned long long free;
  unsigned long long used;
};
inline constexpr unsigned kNvmlMemoryV2 = static_cast<unsigned>(sizeof(nvmlMemory_v2_t)) | (2u << 24);

// One function pointer per NVML entry point used (symbol names in the comments).
struct NvmlApi {
  nvmlReturn_t (*init)();                                                  // nvmlInit_v2
  nvmlReturn_t (*shutdown)();                                              // nvmlShutdown
  const char* (*error_string)(nvmlReturn_t);                               // nvmlErrorString
  nvmlReturn_t (*device_count)(unsigned int*);                             // nvmlDeviceGetCount_v2
  nvmlReturn_t (*device_by_index)(unsigned int, nvmlDevice_t*);            // nvmlDeviceGetHandleByIndex_v2
  nvmlReturn_t (*name)(nvmlDevice_t, char*, unsigned int);                 // nvmlDeviceGetName
  nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t*);           // nvmlDeviceGetUtilizationRates
  nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t*);                     // nvmlDeviceGetMemoryInfo
  nvmlReturn_t (*memory_v2)(nvmlDevice_t, nvmlMemory_v2_t*);               // nvmlDeviceGetMemoryInfo_v2 (optional)
  nvmlReturn_t (*temperature)(nvmlDevice_t, unsigned int, unsigned int*);  // nvmlDeviceGetTemperature
  nvmlReturn_t (*power_mw)(nvmlDevice_t, unsigned int*);                   // nvmlDeviceGetPowerUsage
  nvmlReturn_t (*clock_mhz)(nvmlDevice_t, unsigned int, unsigned int*);    // nvmlDeviceGetClockInfo
  nvmlReturn_t (*mig_mode)(nvmlDevice_t, unsigned int*, unsigned int*);    // nvmlDeviceGetMigMode
  nvmlReturn_t (*max_mig_devices)(nvmlDevice_t, unsigned int*);            // nvmlDeviceGetMaxMigDeviceCount
  nvmlReturn_t (*mig_device_by_index)(nvmlDevice_t, unsigned int, nvmlDevice_t*);  // nvmlDeviceGetMigDeviceHandleByIndex
};

struct LoadedNvml {
  std::optional<NvmlApi> api;  // empty when the library or one of its symbols is missing
  std::string problem;         // why it is empty ("libnvidia-ml.so.1: cannot open shared object file ...")
};

// dlopen("libnvidia-ml.so.1") (or `library`) and resolve every entry point. Never throws; the handle stays
// open for the life of the process. MIG entry points and memory_v2 are optional (old drivers): missing ones
// are null.
LoadedNvml load_nvml(const std::string& library = "libnvidia-ml.so.1");

}  // namespace voxperf::telemetry
