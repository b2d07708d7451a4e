#include "harness/telemetry/nvml_api.h"

#include <dlfcn.h>

namespace voxperf::telemetry {

LoadedNvml load_nvml(const std::string& library) {
  LoadedNvml loaded;
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* error = dlerror();
    loaded.problem = error ? error : library + ": can not be opened";
    return loaded;
  }
  NvmlApi api{};
  bool complete = true;
  auto resolve = [&](auto& slot, const char* symbol, bool required) {
    void* address = dlsym(handle, symbol);
    if (!address && required) {
      complete = false;
      loaded.problem = library + ": no symbol " + symbol;
    }
    slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(address);
  };
  resolve(api.init, "nvmlInit_v2", true);
  resolve(api.shutdown, "nvmlShutdown", true);
  resolve(api.error_string, "nvmlErrorString", true);
  resolve(api.device_count, "nvmlDeviceGetCount_v2", true);
  resolve(api.device_by_index, "nvmlDeviceGetHandleByIndex_v2", true);
  resolve(api.name, "nvmlDeviceGetName", true);
  resolve(api.utilization, "nvmlDeviceGetUtilizationRates", true);
  resolve(api.memory, "nvmlDeviceGetMemoryInfo", true);
  resolve(api.memory_v2, "nvmlDeviceGetMemoryInfo_v2", false);
  resolve(api.temperature, "nvmlDeviceGetTemperature", true);
  resolve(api.power_mw, "nvmlDeviceGetPowerUsage", true);
  resolve(api.clock_mhz, "nvmlDeviceGetClockInfo", true);
  resolve(api.mig_mode, "nvmlDeviceGetMigMode", false);
  resolve(api.max_mig_devices, "nvmlDeviceGetMaxMigDeviceCount", false);
  resolve(api.mig_device_by_index, "nvmlDeviceGetMigDeviceHandleByIndex", false);
  if (complete) loaded.api = api;
  return loaded;
}

}  // namespace voxperf::telemetry
