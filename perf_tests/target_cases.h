// The Google Benchmark cases of a set of targets: one per target x mode x concurrency, named
// "<pipeline>/<model>/<profile>/<mode>/c:<N>". One iteration is one measured load window (manual time).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/pipelines/pipeline.h"
#include "harness/telemetry/gpu_reading.h"
#include "harness/targets/target.h"
#include "harness/timer_queue.h"
#include "perf_tests/case_selection.h"
#include "perf_tests/result_table.h"
#include "perf_tests/sweep_progress.h"

namespace voxperf::bench {

// What the cases of one target share: the target, opened by its pipeline (connections and data).
struct TargetRun {
  Target target;
  std::string address;  // the endpoint, or the embedded server's address
  std::unique_ptr<PipelineTarget> opened;
  // CPU seconds the server has used so far, when voxperf started it (embedded targets); empty otherwise.
  std::function<double()> server_cpu_seconds;
  // GPU readings while its windows run (gpu_metrics); null for source "none".
  std::shared_ptr<telemetry::GpuSource> gpu;
  // Interleaved A/B (voxperf_bench --ab-baseline): the same target on the baseline deployment. Each
  // repetition of a case then measures both, its counters prefixed kAbBaselinePrefix.
  TargetRun* ab_baseline = nullptr;
  // Embedded sides of an A/B run: stops this side's server, starts a new one and reopens the target. Called
  // before every repetition (another target of the profile may have replaced the server since), so that each
  // repetition pair meets fresh server processes and the gate's swaps within pairs span the processes'
  // differences too: two processes of one build can differ for as long as they live (README, "How strong
  // the gate is").
  // Empty for endpoints voxperf did not start.
  std::function<void(TargetRun&)> redeploy;
  // A group of instances (Target::endpoints): one run per instance, each with its own connections (and
  // server, for embedded ones); empty for a single instance.
  std::vector<std::unique_ptr<TargetRun>> instances;
};

inline constexpr const char* kAbBaselinePrefix = "baseline.";

// Opens the target through its pipeline: loads its data and opens its connections (lazily connecting: an
// unreachable endpoint shows up as errors in its cases, and the run goes on). Throws InputError for bad data
// files.
std::unique_ptr<TargetRun> prepare_target(const Target& target, const std::string& address);

// Registers the cases of `run`; results go to `table`. For a group of instances: per mode and concurrency,
// one case per instance alone, then one with all of them at once (the same concurrency on each). Besides the latency counters, each case reports
// client_cpu_s (voxperf's own CPU time over the measured window, so it can be shown not to be the
// bottleneck) and, for embedded targets, server_cpu_s. `run`, `timers`, `table` and `clock` must outlive the
// run. `clock` stamps every request and window; tests pass a clock their fake server moves.
// Only the cases `selection` selects are registered; returns their names. `progress` (optional) is told as
// each window starts and watches each window's driver.
std::vector<std::string> register_target_cases(TargetRun& run, TimerQueue& timers, ResultTable& table,
                                               const Clock& clock = SystemClock::instance(),
                                               const CaseSelection& selection = CaseSelection(),
                                               SweepProgress* progress = nullptr);

}  // namespace voxperf::bench
