#include "harness/telemetry/gpu_stats.h"

#include <algorithm>

namespace voxperf::telemetry {

void PeakMeanAccumulator::add(std::optional<double> value) {
  if (!value) return;
  peak_ = n_ == 0 ? *value : std::max(peak_, *value);
  sum_ += *value;
  ++n_;
}

PeakMean PeakMeanAccumulator::result() const {
  if (n_ == 0) return {};
  return {peak_, sum_ / static_cast<double>(n_)};
}

namespace {

// Combines one value over the GPUs of a sample.
enum class Combine { kMean, kSum, kMax };

std::optional<double> combine(const std::vector<GpuReading>& gpus, std::optional<double> GpuReading::*field,
                              Combine how) {
  std::optional<double> out;
  std::size_t n = 0;
  for (const auto& gpu : gpus) {
    const auto& value = gpu.*field;
    if (!value) continue;
    ++n;
    if (!out) {
      out = *value;
    } else if (how == Combine::kMax) {
      out = std::max(*out, *value);
    } else {
      *out += *value;
    }
  }
  if (out && how == Combine::kMean) *out /= static_cast<double>(n);
  return out;
}

}  // namespace

GpuStats summarize_gpu(std::span<const std::vector<GpuReading>> samples) {
  GpuStats stats;
  PeakMeanAccumulator utilization, memory, temperature, power, clock;
  std::map<std::string, PeakMeanAccumulator> mig;
  for (const auto& gpus : samples) {
    ++stats.samples;
    if (stats.gpus.empty()) {
      for (const auto& gpu : gpus) {
        stats.gpus += (stats.gpus.empty() ? "" : ", ") + gpu.name + (gpu.mig ? " (MIG)" : "");
      }
    }
    utilization.add(combine(gpus, &GpuReading::utilization_pct, Combine::kMean));
    memory.add(combine(gpus, &GpuReading::memory_used_mib, Combine::kSum));
    temperature.add(combine(gpus, &GpuReading::temperature_c, Combine::kMax));
    power.add(combine(gpus, &GpuReading::power_w, Combine::kSum));
    clock.add(combine(gpus, &GpuReading::sm_clock_mhz, Combine::kMean));
    for (const auto& gpu : gpus) {
      for (const auto& instance : gpu.mig_devices) {
        mig["GPU " + gpu.id + " MIG " + std::to_string(instance.index)].add(instance.memory_used_mib);
      }
    }
  }
  stats.utilization_pct = utilization.result();
  stats.memory_used_mib = memory.result();
  stats.temperature_c = temperature.result();
  stats.power_w = power.result();
  stats.sm_clock_mhz = clock.result();
  for (const auto& [name, accumulator] : mig) stats.mig_memory_mib[name] = accumulator.result();
  return stats;
}

namespace {

PeakMean combine(std::span<const GpuStats> windows, PeakMean GpuStats::*field) {
  PeakMean out;
  double weighted = 0.0, weight = 0.0;
  for (const auto& w : windows) {
    const PeakMean& value = w.*field;
    if (value.peak) out.peak = out.peak ? std::max(*out.peak, *value.peak) : *value.peak;
    if (value.mean) {
      weighted += *value.mean * static_cast<double>(w.samples);
      weight += static_cast<double>(w.samples);
    }
  }
  if (weight > 0) out.mean = weighted / weight;
  return out;
}

}  // namespace

GpuStats combine_windows(std::span<const GpuStats> windows) {
  GpuStats out;
  for (const auto& w : windows) {
    out.samples += w.samples;
    if (out.gpus.empty()) out.gpus = w.gpus;
  }
  out.utilization_pct = combine(windows, &GpuStats::utilization_pct);
  out.memory_used_mib = combine(windows, &GpuStats::memory_used_mib);
  out.temperature_c = combine(windows, &GpuStats::temperature_c);
  out.power_w = combine(windows, &GpuStats::power_w);
  out.sm_clock_mhz = combine(windows, &GpuStats::sm_clock_mhz);
  std::map<std::string, std::vector<GpuStats>> by_instance;
  for (const auto& w : windows) {
    for (const auto& [name, value] : w.mig_memory_mib) {
      GpuStats one;
      one.samples = w.samples;
      one.memory_used_mib = value;
      by_instance[name].push_back(one);
    }
  }
  for (const auto& [name, list] : by_instance) out.mig_memory_mib[name] = combine(list, &GpuStats::memory_used_mib);
  return out;
}

}  // namespace voxperf::telemetry
