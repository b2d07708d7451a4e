#include "perf_tests/level_measurement.h"

#include <sys/resource.h>

#include <span>

#include "harness/pipelines/common_counters.h"
#include "harness/stability.h"
#include "harness/telemetry/gpu_metrics.h"
#include "perf_tests/record_export.h"

namespace voxperf::bench {

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

namespace {

// "nvml", or "nvml (libnvidia-ml.so.1: cannot open ...)" when its last read found no GPU.
std::string gpu_source_text(const telemetry::GpuSource& source) {
  const std::string problem = source.problem();
  return source.describe() + (problem.empty() ? "" : " (" + problem + ")");
}

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
  if (m.over_chunk_lag_budget.value_or(false)) {
    out += (out.empty() ? "" : "; ") + std::string("CLIENT BEHIND: chunk lag P99 ") +
           number_cell(m.chunk_lag.percentile_ms(99), 2) + " ms over the budget of " +
           number_cell(m.chunk_lag_budget_ms, 2) + " ms; voxperf could not keep the real-time pace, so this level "
           "measures the client, not the server";
  }
  return out;
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

}  // namespace

WindowGpu::WindowGpu(const TargetRun& run) : source_(run.gpu.get()) {
  if (!source_) return;
  sampler_.emplace(*source_, run.target.gpu_metrics.interval);
  sampler_->start();
}

std::optional<telemetry::GpuStats> WindowGpu::stop() {
  if (!sampler_) return std::nullopt;
  auto stats = telemetry::summarize_gpu(sampler_->stop());
  sampler_.reset();
  return stats;
}

std::string WindowGpu::source_text() const { return source_ ? gpu_source_text(*source_) : ""; }

void report_gpu(benchmark::State& state, const std::optional<telemetry::GpuStats>& gpu, const std::string& source,
                const std::string& prefix, ResultTable& table, const std::string& target) {
  if (!gpu) return;
  set_gpu_counters(state, *gpu, prefix);
  table.add_gpu(target, *gpu, source);
}

std::string case_label(const WindowMetrics& m, const Target& target) {
  std::string label = m.errors() > 0 ? "FAILED: errors " + errors_cell(m) : "";
  const std::string level = level_label(m, target);
  if (!level.empty()) label += (label.empty() ? "" : "; ") + level;
  return label;
}

double chunk_lag_budget_ms(const Target& target, const WindowMetrics& m) {
  return target.chunk_lag_budget_ms.value_or(m.chunk_period_ms / 10.0);
}

LoadSpec window_spec(const Target& target, const CaseName& name) {
  LoadSpec spec;
  spec.concurrency = name.concurrency;
  if (target.ramp) {
    spec.ramp = *target.ramp;
  } else if (target.settings) {
    spec.ramp = target.settings->pacing_period(name.mode);
  }
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

LoadSpec warmup_spec(const Target& target, const CaseName& name) {
  LoadSpec spec = window_spec(target, name);
  spec.requests = target.warmup_requests;
  spec.duration = Nanos{0};
  return spec;
}

CaseLoad case_load(const CaseName& name) {
  return {name.open_loop() ? LoadModel::kOpenLoop : LoadModel::kClosedLoop, name.concurrency, name.rate};
}

LevelMeasurement measure_level(TargetRun& run, const CaseName& name, const LoadSpec& window, TimerQueue& timers,
                               const Clock& clock, SweepProgress* progress, const std::string& prefix) {
  const Target& target = run.target;
  auto client = run.opened->client(name.mode, case_load(name), timers, clock);
  LoadDriver driver(*client, timers, clock);
  const LoadSpec warmup = warmup_spec(target, name);
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
  LevelMeasurement out;
  out.gpu = gpu.stop();
  out.gpu_source = gpu.source_text();
  const std::size_t merged = std::min(results.size(), target.stability.percent ? StabilityRule::kStabilityWindows : 1);
  std::vector<RequestRecord> records;
  std::vector<Window> windows;
  for (std::size_t i = results.size() - merged; i < results.size(); ++i) {
    // Moved, not copied: 10,000 streams x 60 s are 100,000s of records.
    records.insert(records.end(), std::make_move_iterator(results[i].records.begin()),
                   std::make_move_iterator(results[i].records.end()));
    windows.push_back(results[i].window);
  }
  out.metrics = summarize_window(records, merged_window(windows), target.slo);
  out.metrics.server = merge_server_figures(std::span(server_figures).last(merged));
  out.metrics.windows = results.size();
  if (target.stability.percent) out.metrics.stable = level == LevelState::kStable;
  if (target.stability.latency_threshold_ms) out.metrics.over_latency_threshold = level == LevelState::kOverThreshold;
  if (out.metrics.chunk_lag.count() > 0) {
    out.metrics.chunk_lag_budget_ms = chunk_lag_budget_ms(target, out.metrics);
    out.metrics.over_chunk_lag_budget = out.metrics.chunk_lag.percentile_ms(99) > out.metrics.chunk_lag_budget_ms;
  }
  out.client_cpu_s = process_cpu_seconds() - client_cpu;
  if (run.server_cpu_seconds) out.server_cpu_s = run.server_cpu_seconds() - server_cpu;
  if (auto* exporter = RecordExport::active()) exporter->write(name.str(), prefix, records);
  return out;
}

}  // namespace voxperf::bench
