#include "perf_tests/target_cases.h"

#include "perf_tests/record_export.h"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <optional>
#include <thread>

#include "harness/load_driver.h"
#include "harness/pipelines/common_counters.h"
#include "harness/stability.h"
#include "harness/telemetry/gpu_metrics.h"
#include "harness/telemetry/gpu_sampler.h"
#include "harness/telemetry/gpu_stats.h"
#include "harness/telemetry/nvml_source.h"

namespace voxperf::bench {
namespace {

// User plus system CPU time of this process: the client, when the server runs elsewhere.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// "nvml", or "nvml (libnvidia-ml.so.1: cannot open ...)" when its last read found no GPU.
std::string gpu_source_text(const telemetry::GpuSource& source) {
  const std::string problem = source.problem();
  return source.describe() + (problem.empty() ? "" : " (" + problem + ")");
}

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

// GPU readings over one measured window, when the target has a source: started with the window, and on
// finish() its counters (prefixed) and the target's GPU table row.
class WindowGpu {
 public:
  explicit WindowGpu(const TargetRun& run) : source_(run.gpu.get()) {
    if (!source_) return;
    sampler_.emplace(*source_, run.target.gpu_metrics.interval);
    sampler_->start();
  }
  void finish(benchmark::State& state, const std::string& prefix, ResultTable& table, const std::string& target) {
    if (!sampler_) return;
    const auto gpu = telemetry::summarize_gpu(sampler_->stop());
    set_gpu_counters(state, gpu, prefix);
    table.add_gpu(target, gpu, gpu_source_text(*source_));
  }

 private:
  telemetry::GpuSource* source_;
  std::optional<telemetry::GpuSampler> sampler_;
};

// What a level's measurement says beyond its numbers: "UNSTABLE: ..." or "LATENCY THRESHOLD: ..."; "" if neither.
std::string level_label(const WindowMetrics& m, const Target& target) {
  std::string out;
  if (m.stable && !*m.stable) {
    out = "UNSTABLE: the last 3 of " + std::to_string(m.windows) + " windows did not agree within " +
          number_cell(target.stability.percent.value_or(0), 0) + " %";
  }
  if (m.over_latency_threshold && *m.over_latency_threshold) {
    out += (out.empty() ? "" : "; ") + std::string("LATENCY THRESHOLD: mean latency reached ") +
           number_cell(*target.stability.latency_threshold_ms, 0) + " ms; the sweep stops here";
  }
  return out;
}

// The label of a case: its errors (FAILED), then its level's measurement.
std::string case_label(const WindowMetrics& m, const Target& target) {
  std::string label = m.errors() > 0 ? "FAILED: errors " + errors_cell(m) : "";
  const std::string level = level_label(m, target);
  if (!level.empty()) label += (label.empty() ? "" : "; ") + level;
  return label;
}

// A case's window as every output shows it: manual time, its label (errors, stability), a table row.
void report_window(benchmark::State& state, const CaseName& name, const WindowMetrics& metrics,
                   const Pipeline& pipeline, ResultTable& table, const Target& target) {
  state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
  if (auto label = case_label(metrics, target); !label.empty()) state.SetLabel(label);
  table.add(name, metrics, pipeline);
}

// The load of a case's measured window: closed loop at its concurrency, or open loop at its rate.
LoadSpec window_spec(const Target& target, const CaseName& name) {
  LoadSpec spec;
  spec.concurrency = name.concurrency;
  spec.requests = target.requests_for(name.concurrency);
  if (name.open_loop()) {
    spec.model = LoadModel::kOpenLoop;
    spec.rate = name.rate;
    spec.arrivals = target.poisson ? ArrivalProcess::kPoisson : ArrivalProcess::kConstant;
    spec.requests = target.requests_for_rate(name.rate);
  }
  if (target.time_windows) {
    spec.requests = 0;
    spec.duration = target.window;
  }
  return spec;
}

// Its warm-up: the same load (perf_analyzer sends warm-up at the target concurrency or rate), fewer requests.
LoadSpec warmup_spec(const Target& target, const CaseName& name) {
  LoadSpec spec = window_spec(target, name);
  spec.requests = target.warmup_requests;
  spec.duration = Nanos{0};
  return spec;
}

// The server's figures of several windows as one: each a mean over its window's requests, so weighted by them.
std::map<std::string, double> merge_server_figures(std::span<const std::map<std::string, double>> windows) {
  std::map<std::string, double> sum, weight;
  double requests = 0;
  for (const auto& w : windows) {
    auto n = w.find("server_requests");
    if (n == w.end() || n->second <= 0) continue;
    requests += n->second;
    for (const auto& [key, value] : w) {
      if (key == "server_requests") continue;
      sum[key] += value * n->second;
      weight[key] += n->second;
    }
  }
  std::map<std::string, double> out;
  if (requests > 0) out["server_requests"] = requests;
  for (const auto& [key, total] : sum) out[key] = total / weight[key];
  return out;
}

CaseLoad case_load(const CaseName& name) {
  return {name.open_loop() ? LoadModel::kOpenLoop : LoadModel::kClosedLoop, name.concurrency, name.rate};
}

// One load level of one side of a case, measured as its target says: warm-up (discarded), then windows until
// the level is judged (harness/stability.h: one window, or perf_analyzer's rule); the reported figures merge
// the last windows (up to 3), as perf_analyzer's do. Sets that side's counters, prefixed with `prefix` ("" or
// "baseline.").
WindowMetrics measure_window(TargetRun& run, const CaseName& name, TimerQueue& timers, const Clock& clock,
                             benchmark::State& state, const std::string& prefix, ResultTable& table,
                             SweepProgress* progress) {
  const Target& target = run.target;
  auto client = run.opened->client(name.mode, case_load(name), timers, clock);
  LoadDriver driver(*client, timers, clock);
  const LoadSpec warmup = warmup_spec(target, name);
  const LoadSpec window = window_spec(target, name);
  if (warmup.requests > 0) driver.run(warmup);  // kept apart so that CPU time counts the windows only
  const double client_cpu = process_cpu_seconds();
  const double server_cpu = run.server_cpu_seconds ? run.server_cpu_seconds() : 0.0;
  WindowGpu gpu(run);
  std::vector<LoadResult> results;
  std::vector<std::map<std::string, double>> server_figures;
  std::vector<WindowSummary> summaries;
  LevelState level = LevelState::kMeasuring;
  while (level == LevelState::kMeasuring) {
    auto server = run.opened->server_window(name.mode);
    {
      std::optional<SweepProgress::Watch> live;  // the live progress line, while the window runs
      if (progress) live.emplace(*progress, driver);
      results.push_back(driver.run(window));
    }
    server_figures.push_back(server ? server->end() : std::map<std::string, double>{});
    const auto one = summarize_window(results.back().records, results.back().window);
    summaries.push_back({one.throughput_rps, one.latency.mean_ms()});
    level = judge_level(summaries, target.stability);
    if (results.back().cancelled) break;
  }
  gpu.finish(state, prefix, table, (prefix.empty() ? name : name.ab_baseline()).target());
  const std::size_t merged = std::min(results.size(), target.stability.percent ? StabilityRule::kStabilityWindows : 1);
  std::vector<RequestRecord> records;
  std::vector<Window> windows;
  for (std::size_t i = results.size() - merged; i < results.size(); ++i) {
    records.insert(records.end(), results[i].records.begin(), results[i].records.end());
    windows.push_back(results[i].window);
  }
  if (auto* exporter = RecordExport::active()) exporter->write(name.str(), prefix, records);
  auto metrics = summarize_window(records, merged_window(windows), target.slo);
  metrics.server = merge_server_figures(std::span(server_figures).last(merged));
  metrics.windows = results.size();
  if (target.stability.percent) metrics.stable = level == LevelState::kStable;
  if (target.stability.latency_threshold_ms) metrics.over_latency_threshold = level == LevelState::kOverThreshold;
  set_counters(state, metrics, case_counters(*target.pipeline, name.mode), prefix);
  state.counters[prefix + "client_cpu_s"] = process_cpu_seconds() - client_cpu;
  if (run.server_cpu_seconds) state.counters[prefix + "server_cpu_s"] = run.server_cpu_seconds() - server_cpu;
  return metrics;
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
  gpu.finish(state, "", table, name.target());
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
