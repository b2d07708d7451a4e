#include "harness/telemetry/nvml_source.h"

namespace voxperf::telemetry {
namespace {

constexpr double kMib = 1024.0 * 1024.0;

// Calls `read` (which fills its output) and returns the value it read, scaled; empty unless it succeeded.
// The call happens before the value is taken: passing both as arguments would leave the order unspecified.
template <class Read, class Value>
std::optional<double> read_value(Read read, const Value& value, double scale = 1.0) {
  if (read() != kNvmlSuccess) return std::nullopt;
  return static_cast<double>(value) * scale;
}

}  // namespace

NvmlSource::NvmlSource(const NvmlApi& api) : api_(api) {
  const nvmlReturn_t status = api_.init();
  if (status != kNvmlSuccess) {
    problem_ = std::string("nvmlInit failed: ") + api_.error_string(status);
    return;
  }
  initialized_ = true;
  unsigned count = 0;
  if (api_.device_count(&count) != kNvmlSuccess) count = 0;
  for (unsigned i = 0; i < count; ++i) {
    nvmlDevice_t device = nullptr;
    if (api_.device_by_index(i, &device) != kNvmlSuccess) continue;
    char name[96] = {};
    if (api_.name(device, name, sizeof(name)) != kNvmlSuccess) name[0] = '\0';
    devices_.push_back(device);
    names_.push_back(name);
  }
  if (devices_.empty()) problem_ = "NVML found no GPU";
}

NvmlSource::~NvmlSource() {
  if (initialized_) api_.shutdown();
}

std::unique_ptr<NvmlSource> NvmlSource::open_system() {
  LoadedNvml loaded = load_nvml();
  if (!loaded.api) {
    std::unique_ptr<NvmlSource> none(new NvmlSource());
    none->problem_ = loaded.problem;
    return none;
  }
  return std::make_unique<NvmlSource>(*loaded.api);
}

void NvmlSource::read_memory(nvmlDevice_t device, std::optional<double>& used, std::optional<double>& total) {
  if (api_.memory_v2) {  // used memory as nvidia-smi counts it, without the driver's reserve
    nvmlMemory_v2_t memory{};
    memory.version = kNvmlMemoryV2;
    if (api_.memory_v2(device, &memory) == kNvmlSuccess) {
      used = static_cast<double>(memory.used) / kMib;
      total = static_cast<double>(memory.total) / kMib;
      return;
    }
  }
  nvmlMemory_t memory{};
  if (api_.memory(device, &memory) == kNvmlSuccess) {
    used = static_cast<double>(memory.used) / kMib;
    total = static_cast<double>(memory.total) / kMib;
  }
}

std::vector<GpuReading> NvmlSource::read() {
  std::vector<GpuReading> readings;
  readings.reserve(devices_.size());
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    nvmlDevice_t device = devices_[i];
    GpuReading r;
    r.id = std::to_string(i);
    r.name = names_[i];
    nvmlUtilization_t utilization{};
    r.utilization_pct = read_value([&] { return api_.utilization(device, &utilization); }, utilization.gpu);
    read_memory(device, r.memory_used_mib, r.memory_total_mib);
    unsigned value = 0;
    r.temperature_c = read_value([&] { return api_.temperature(device, kNvmlTemperatureGpu, &value); }, value);
    r.power_w = read_value([&] { return api_.power_mw(device, &value); }, value, 1e-3);
    r.sm_clock_mhz = read_value([&] { return api_.clock_mhz(device, kNvmlClockSm, &value); }, value);
    unsigned current = 0, pending = 0;
    if (api_.mig_mode && api_.mig_mode(device, &current, &pending) == kNvmlSuccess && current == kNvmlMigEnabled) {
      r.mig = true;
      r.utilization_pct.reset();  // NVML does not measure it per GPU under MIG; never report a 0
      unsigned slots = 0;
      if (api_.max_mig_devices && api_.max_mig_devices(device, &slots) != kNvmlSuccess) slots = 0;
      for (unsigned j = 0; j < slots && api_.mig_device_by_index; ++j) {
        nvmlDevice_t mig = nullptr;
        if (api_.mig_device_by_index(device, j, &mig) != kNvmlSuccess) continue;  // an empty slot
        MigReading m;
        m.index = j;
        read_memory(mig, m.memory_used_mib, m.memory_total_mib);
        r.mig_devices.push_back(m);
      }
    }
    readings.push_back(std::move(r));
  }
  return readings;
}

}  // namespace voxperf::telemetry
