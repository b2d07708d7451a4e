#include "perf_tests/target_cases.h"

#include <benchmark/benchmark.h>

#include <optional>
#include <thread>

#include "harness/load_driver.h"
#include "harness/pipelines/common_counters.h"
#include "harness/telemetry/gpu_metrics.h"
#include "harness/telemetry/nvml_source.h"
#include "perf_tests/level_measurement.h"
#include "perf_tests/sample_export.h"
#include "perf_tests/sla_case.h"

namespace voxperf::bench {
namespace {

// One NVML per process: every target that reads the local GPUs shares it.
std::shared_ptr<telemetry::GpuSource> local_nvml() {
  static std::shared_ptr<telemetry::GpuSource> nvml = telemetry::NvmlSource::open_system();
  return nvml;
}

std::shared_ptr<telemetry::GpuSource> gpu_source(const GpuMetricsSettings& settings) {
  using Source = GpuMetricsSettings::Source;
  switch (settings.source) {
    case Source::kNvml: return local_nvml();
    case Source::kTriton:
      return std::make_shared<telemetry::MetricsEndpointSource>(settings.url, telemetry::MetricsFlavor::kTriton);
    case Source::kDcgm:
      return std::make_shared<telemetry::MetricsEndpointSource>(settings.url, telemetry::MetricsFlavor::kDcgm);
    case Source::kNone: return nullptr;
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<TargetRun> prepare_target(const Target& target, const std::string& address) {
  auto run = std::make_unique<TargetRun>();
  run->target = target;
  run->address = address;
  run->opened = target.pipeline->open(run->target, address);  // holds on to run->target, which outlives it
  run->gpu = gpu_source(target.gpu_metrics);
  return run;
}

namespace {

// A case's window as every output shows it: manual time, its label (errors, stability), a table row.
void report_window(benchmark::State& state, const CaseName& name, const WindowMetrics& metrics,
                   const Pipeline& pipeline, ResultTable& table, const Target& target) {
  state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
  if (auto label = case_label(metrics, target); !label.empty()) state.SetLabel(label);
  table.add(name, metrics, pipeline);
}

// One load level of one side of a case, measured as its target says: warm-up (discarded), then windows until
// the level is judged (harness/stability.h: one window, or perf_analyzer's rule); the reported figures merge
// the last windows (up to 3), as perf_analyzer's do. Sets that side's counters, prefixed with `prefix` ("" or
// "baseline.").
WindowMetrics measure_window(TargetRun& run, const CaseName& name, TimerQueue& timers, const Clock& clock,
                             benchmark::State& state, const std::string& prefix, ResultTable& table,
                             SweepProgress* progress) {
  const Target& target = run.target;
  const auto level = measure_level(run, name, window_spec(target, name), timers, clock, progress, prefix);
  report_gpu(state, level.gpu, level.gpu_source, prefix, table, (prefix.empty() ? name : name.ab_baseline()).target());
  set_counters(state, level.metrics, case_counters(*target.pipeline, name.mode), prefix);
  if (auto* samples = SampleExport::active()) samples->write(name.str(), prefix, level.metrics);
  state.counters[prefix + "client_cpu_s"] = level.client_cpu_s;
  if (level.server_cpu_s) state.counters[prefix + "server_cpu_s"] = *level.server_cpu_s;
  return level.metrics;
}

// All instances of a group at once, each at the case's concurrency: one load driver per instance, each on a
// thread of its own so that they start together. Counters: the aggregate (every record, from the first
// start to the last end) under the plain names, each instance's under "instance<i>.".
void measure_instances_at_once(TargetRun& group, const CaseName& name, TimerQueue& timers, const Clock& clock,
                               benchmark::State& state, ResultTable& table, SweepProgress* progress) {
  const std::size_t n = group.instances.size();
  std::vector<std::unique_ptr<RequestClient>> clients;
  std::vector<std::unique_ptr<LoadDriver>> drivers;
  const LoadSpec window = window_spec(group.target, name);
  const LoadSpec warmup = warmup_spec(group.target, name);
  for (auto& instance : group.instances) {
    clients.push_back(instance->opened->client(name.mode, case_load(name), timers, clock));
    drivers.push_back(std::make_unique<LoadDriver>(*clients.back(), timers, clock));
    if (warmup.requests > 0) drivers.back()->run(warmup);
  }
  WindowGpu gpu(group);
  const double client_cpu = process_cpu_seconds();
  std::vector<LoadResult> results(n);
  {
    std::optional<SweepProgress::Watch> live;  // the first instance's window stands for all
    if (progress) live.emplace(*progress, *drivers.front());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < n; ++i) threads.emplace_back([&, i] { results[i] = drivers[i]->run(window); });
    for (auto& thread : threads) thread.join();
  }
  state.counters["client_cpu_s"] = process_cpu_seconds() - client_cpu;
  const auto counters = case_counters(*group.target.pipeline, name.mode);
  std::vector<RequestRecord> all;
  Window union_window = results.front().window;
  std::vector<WindowMetrics> per_instance;
  for (std::size_t i = 0; i < n; ++i) {
    per_instance.push_back(summarize_window(results[i].records, results[i].window, group.target.slo));
    set_counters(state, per_instance.back(), counters, "instance" + std::to_string(i) + ".");
    all.insert(all.end(), results[i].records.begin(), results[i].records.end());
    union_window.start = std::min(union_window.start, results[i].window.start);
    union_window.end = std::max(union_window.end, results[i].window.end);
  }
  const auto aggregate = summarize_window(all, union_window, group.target.slo);
  set_counters(state, aggregate, counters);
  report_gpu(state, gpu.stop(), gpu.source_text(), "", table, name.target());
  report_window(state, name, aggregate, *group.target.pipeline, table, group.target);
  table.add_instances(name, per_instance);
}

}  // namespace

std::vector<std::string> register_target_cases(TargetRun& run, TimerQueue& timers, ResultTable& table,
                                               const Clock& clock, const CaseSelection& selection,
                                               SweepProgress* progress) {
  std::vector<std::string> registered;
  auto selected = [&](const CaseName& name) {
    if (!selection.selected(name.str())) return false;
    registered.push_back(name.str());
    return true;
  };
  const Target& target = run.target;
  const Pipeline& pipeline = *target.pipeline;
  for (const auto& mode : target.modes) {
    std::vector<CaseName> loads;  // closed-loop cases, then open-loop ones
    for (std::size_t concurrency : target.concurrency) {
      loads.push_back({pipeline.family(), target.model, target.profile, mode, concurrency, ""});
    }
    for (double rate : target.request_rate) {
      loads.push_back({pipeline.family(), target.model, target.profile, mode, 1, "", rate});
    }
    if (target.sla.search) {
      CaseName search{pipeline.family(), target.model, target.profile, mode, 1, ""};
      search.sla = true;
      if (selected(search)) register_sla_case(run, search, timers, table, clock, progress);
    }
    // latency_threshold_ms ends a sweep (the closed-loop one or the open-loop one of this mode) at the first
    // level that reaches it: that level is reported, later ones are skipped, saying why.
    auto closed_stop = std::make_shared<std::string>(), open_stop = std::make_shared<std::string>();
    for (const CaseName& name : loads) {
      auto stopped_at = name.open_loop() ? open_stop : closed_stop;
      if (!run.instances.empty()) {
        for (std::size_t i = 0; i < run.instances.size(); ++i) {
          CaseName alone = name;
          alone.instance = std::to_string(i);
          if (!selected(alone)) continue;
          TargetRun* instance = run.instances[i].get();
          benchmark::RegisterBenchmark(alone.str().c_str(), [instance, &timers, &table, &clock, alone,
                                                              progress](benchmark::State& state) {
            for (auto _ : state) {
              if (progress) progress->start(alone.str());
              report_window(state, alone, measure_window(*instance, alone, timers, clock, state, "", table, progress),
                            *instance->target.pipeline, table, instance->target);
            }
          })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
        }
        CaseName together = name;
        together.instance = "all";
        if (!selected(together)) continue;
        benchmark::RegisterBenchmark(together.str().c_str(), [&run, &timers, &table, &clock, together,
                                                              progress](benchmark::State& state) {
          for (auto _ : state) {
            if (progress) progress->start(together.str());
            measure_instances_at_once(run, together, timers, clock, state, table, progress);
          }
        })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
        continue;
      }
      if (!selected(name)) continue;
      auto repetition = std::make_shared<std::size_t>(0);
      benchmark::RegisterBenchmark(name.str().c_str(), [&run, &timers, &table, &clock, name, repetition,
                                                         progress, stopped_at](benchmark::State& state) {
        if (!stopped_at->empty() && *stopped_at != name.str()) {
          state.SkipWithError(("not measured: the sweep stopped at " + *stopped_at + ", whose latency reached " +
                               "latency_threshold_ms").c_str());
        }
        for (auto _ : state) {
          if (progress) progress->start(name.str());
          std::optional<WindowMetrics> baseline;
          if (run.ab_baseline) {
            for (TargetRun* side : {&run, run.ab_baseline}) {
              if (side->redeploy) side->redeploy(*side);
            }
          }
          // A/B: the baseline side first on even repetitions, second on odd ones, so that neither side always
          // finds the machine just warmed (or just tired) by the other.
          const bool baseline_first = *repetition % 2 == 0;
          if (run.ab_baseline && baseline_first) baseline = measure_window(*run.ab_baseline, name, timers, clock, state, kAbBaselinePrefix, table, progress);
          const auto metrics = measure_window(run, name, timers, clock, state, "", table, progress);
          if (run.ab_baseline && !baseline_first) baseline = measure_window(*run.ab_baseline, name, timers, clock, state, kAbBaselinePrefix, table, progress);
          ++*repetition;
          state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
          // A case with errors still reports what it measured; the label marks it failed in every output, and
          // an unstable or threshold-stopped level says so.
          std::string label = case_label(metrics, run.target);
          if (baseline && baseline->errors() > 0) {
            label += (label.empty() ? "FAILED: baseline errors " : ", baseline errors ") + errors_cell(*baseline);
          }
          if (!label.empty()) state.SetLabel(label);
          if (metrics.over_latency_threshold.value_or(false)) *stopped_at = name.str();
          table.add(name, metrics, *run.target.pipeline);
          if (baseline) table.add(name.ab_baseline(), *baseline, *run.target.pipeline);
        }
      })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    }
  }
  return registered;
}

}  // namespace voxperf::bench
