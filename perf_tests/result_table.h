// The counters a case reports and the Markdown tables the suite prints, in the shape of the NIM speech
// benchmark report (../shared/seeds/000_*): one table per pipeline/model/profile/mode, one row per concurrency.
// Which counters and columns a case has is its pipeline's business (Pipeline::counters, Pipeline::columns);
// nothing here knows a pipeline by name.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "harness/pipelines/pipeline.h"
#include "harness/telemetry/gpu_stats.h"
#include "harness/window_metrics.h"
#include "perf_tests/case_name.h"
#include "perf_tests/sla_report.h"

namespace voxperf::bench {

// "0", or "3 (DEADLINE_EXCEEDED 1, UNAVAILABLE 2)": the Errors cell, and a failed case's label.
std::string errors_cell(const WindowMetrics& metrics);

// The counters of a case of `pipeline` in `mode`: the common ones, then the pipeline's.
std::vector<CounterSpec> case_counters(const Pipeline& pipeline, const std::string& mode);

// Sets the case's Google Benchmark counters (plain values, milliseconds for times) from one window, each
// name prefixed with `prefix` (the baseline side of an A/B case, one instance of a group); NaN values (not
// measured) are left out.
void set_counters(benchmark::State& state, const WindowMetrics& metrics, const std::vector<CounterSpec>& counters,
                  const std::string& prefix = "");
// The GPU counters of a window: gpu_util_mean_pct, gpu_util_peak_pct, gpu_vram_peak_mib, gpu_power_mean_w,
// gpu_power_peak_w, gpu_temp_peak_c; a value nobody measured (no GPU, MIG utilization) is left out: n/a.
void set_gpu_counters(benchmark::State& state, const telemetry::GpuStats& gpu, const std::string& prefix = "");

class ResultTable {
 public:
  struct Row {
    CaseName name;
    WindowMetrics metrics;
    const Pipeline* pipeline;
  };
  using Groups = std::map<std::string, std::vector<Row>>;  // by CaseName::group(), rows in the order run

  void add(const CaseName& name, const WindowMetrics& metrics, const Pipeline& pipeline);
  // A group's "all at once" case: each instance's window (the aggregate goes in with add()).
  void add_instances(const CaseName& name, const std::vector<WindowMetrics>& instances);
  // The GPU readings of one of the target's windows, and where they came from ("nvml"; and why there were
  // none, when there were none).
  void add_gpu(const std::string& target, const telemetry::GpuStats& gpu, const std::string& source);
  // An SLA search's probes and answer.
  void add_sla(SlaSearchReport report) { sla_.push_back(std::move(report)); }
  // The latency tables, the SLA searches, then one GPU table per target that had GPU telemetry (Metric | Peak | Mean).
  std::string markdown() const;
  // One line per case, every counter of the cases' pipelines in its own column (common counters first, then
  // each pipeline's in registry order); times in ms, WER as a fraction, empty when n/a.
  std::string csv() const;
  std::size_t cases_with_errors() const;
  const Groups& groups() const { return groups_; }

 private:
  Groups groups_;
  struct TargetGpu {
    std::vector<telemetry::GpuStats> windows;
    std::string source;
  };
  std::map<std::string, TargetGpu> gpu_;
  std::vector<SlaSearchReport> sla_;  // by "<pipeline>/<model>/<profile>"
  struct InstancesRow {
    std::string load;  // concurrency or request rate, per instance
    bool open_loop;
    std::vector<WindowMetrics> instances;
    double aggregate_throughput;
    std::size_t errors;
  };
  std::map<std::string, std::vector<InstancesRow>> instances_;  // by "<pipeline>/<model>/<profile>/<mode>"
};

}  // namespace voxperf::bench
