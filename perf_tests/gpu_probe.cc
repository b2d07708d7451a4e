// voxperf_gpu_probe: what voxperf's NVML sampler reads on this machine, one line per sample, and what the
// sampling costs. Used to check the sampler against nvidia-smi on a real GPU (README, "GPU telemetry"):
//   voxperf_gpu_probe --seconds 20 --interval-ms 500          CSV: t_s,gpu,util_pct,mem_used_mib,...
//   voxperf_gpu_probe --seconds 20 --interval-ms 100 --cost   only the CPU cost of sampling at 10 Hz
// Needs nothing but the driver's libnvidia-ml.so.1 at run time; without it, it says why and exits 0.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "harness/telemetry/gpu_sampler.h"
#include "harness/telemetry/gpu_stats.h"
#include "harness/telemetry/nvml_source.h"

namespace {

using namespace voxperf::telemetry;

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string cell(const std::optional<double>& value) {
  if (!value) return "n/a";
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f", *value);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"voxperf_gpu_probe: voxperf's NVML readings, for comparison with nvidia-smi"};
  double seconds = 20;
  int interval_ms = 500;
  bool cost_only = false;
  app.add_option("--seconds", seconds, "how long to sample")->capture_default_str();
  app.add_option("--interval-ms", interval_ms, "sampling interval")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_flag("--cost", cost_only, "print only the CPU cost of sampling");
  CLI11_PARSE(app, argc, argv);

  auto nvml = NvmlSource::open_system();
  if (nvml->gpus() == 0) {
    std::cout << "no GPU: " << nvml->problem() << "\n";
    return 0;
  }
  GpuSampler sampler(*nvml, std::chrono::milliseconds(interval_ms));
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  sampler.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const auto samples = sampler.stop();
  const double cpu = cpu_seconds() - cpu_start;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  if (!cost_only) {
    std::cout << "sample,gpu,name,util_pct,mem_used_mib,mem_total_mib,power_w,temp_c,sm_clock_mhz,mig_instances\n";
    for (std::size_t i = 0; i < samples.size(); ++i) {
      for (const auto& gpu : samples[i]) {
        std::cout << i << "," << gpu.id << "," << gpu.name << "," << cell(gpu.utilization_pct) << ","
                  << cell(gpu.memory_used_mib) << "," << cell(gpu.memory_total_mib) << "," << cell(gpu.power_w) << ","
                  << cell(gpu.temperature_c) << "," << cell(gpu.sm_clock_mhz) << "," << gpu.mig_devices.size() << "\n";
      }
    }
    const GpuStats stats = summarize_gpu(samples);
    std::cout << "summary: util peak " << cell(stats.utilization_pct.peak) << " mean " << cell(stats.utilization_pct.mean)
              << "; VRAM peak " << cell(stats.memory_used_mib.peak) << " MiB; power peak " << cell(stats.power_w.peak)
              << " mean " << cell(stats.power_w.mean) << " W; temperature peak " << cell(stats.temperature_c.peak)
              << " C\n";
  }
  std::printf("sampling cost: %zu samples of %zu GPU(s) in %.1f s every %d ms: %.4f CPU s = %.3f %% of one core\n",
              samples.size(), nvml->gpus(), wall, interval_ms, cpu, 100.0 * cpu / wall);
  return 0;
}
