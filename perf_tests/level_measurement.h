// One load level of one target, measured the way every case measures it: warm-up (discarded), then windows
// until the level is judged by the target's stability rule (harness/stability.h), the reported figures merged
// over the last windows (up to 3), as perf_analyzer's are. Shared by the c:N cases (target_cases.cc) and the
// probes of an SLA search (sla_case.cc).
#pragma once

#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "harness/load_driver.h"
#include "harness/telemetry/gpu_sampler.h"
#include "harness/telemetry/gpu_stats.h"
#include "perf_tests/case_name.h"
#include "perf_tests/result_table.h"
#include "perf_tests/sweep_progress.h"
#include "perf_tests/target_cases.h"

namespace voxperf::bench {

// User plus system CPU time of this process: the client, when the server runs elsewhere.
double process_cpu_seconds();

// The load of a case's measured window: closed loop at its concurrency, or open loop at its rate.
LoadSpec window_spec(const Target& target, const CaseName& name);
// The chunk lag P99 over which a paced level is invalid: the target's chunk_lag_budget_ms, else a tenth of the
// window's chunk period.
double chunk_lag_budget_ms(const Target& target, const WindowMetrics& m);
// Its warm-up: the same load (perf_analyzer sends warm-up at the target concurrency or rate), fewer requests.
LoadSpec warmup_spec(const Target& target, const CaseName& name);
CaseLoad case_load(const CaseName& name);

// GPU readings over one measured window, when the target has a source: started when made, read by stop().
class WindowGpu {
 public:
  explicit WindowGpu(const TargetRun& run);
  std::optional<telemetry::GpuStats> stop();  // none without a source
  std::string source_text() const;             // "nvml", or "nvml (why it read nothing)"

 private:
  telemetry::GpuSource* source_;
  std::optional<telemetry::GpuSampler> sampler_;
};

struct LevelMeasurement {
  WindowMetrics metrics;  // the merged windows, with windows, stable and over_latency_threshold set
  double client_cpu_s = 0.0;
  std::optional<double> server_cpu_s;       // embedded targets
  std::optional<telemetry::GpuStats> gpu;  // targets with a GPU source
  std::string gpu_source;                  // where its readings came from (and why there were none)
};

// Measures `name`'s level of `run` with `window` as each window's load (window_spec, or an SLA probe's).
// `prefix` names the side in the exported records ("" or "baseline.").
LevelMeasurement measure_level(TargetRun& run, const CaseName& name, const LoadSpec& window, TimerQueue& timers,
                               const Clock& clock, SweepProgress* progress, const std::string& prefix = "");
// A window's GPU counters (prefixed) and the target's GPU table row, when it had a source.
void report_gpu(benchmark::State& state, const std::optional<telemetry::GpuStats>& gpu, const std::string& source,
                const std::string& prefix, ResultTable& table, const std::string& target);

// A case's label: its errors (FAILED), then what its level's measurement says (UNSTABLE, LATENCY THRESHOLD).
std::string case_label(const WindowMetrics& m, const Target& target);

}  // namespace voxperf::bench
