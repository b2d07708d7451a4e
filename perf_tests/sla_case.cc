#include "perf_tests/sla_case.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>

#include "harness/sla.h"
#include "perf_tests/level_measurement.h"

namespace voxperf::bench {
namespace {

std::map<std::string, double> counter_values(const WindowMetrics& m, const std::vector<CounterSpec>& counters) {
  std::map<std::string, double> out;
  for (const auto& spec : counters) out[spec.name] = spec.value(m);
  return out;
}

void run_search(TargetRun& run, const CaseName& name, TimerQueue& timers, ResultTable& table, const Clock& clock,
                SweepProgress* progress, benchmark::State& state) {
  const Target& target = run.target;
  const SlaRange range = *target.sla.search;
  const auto counters = case_counters(*target.pipeline, name.mode);
  SlaSearchReport report;
  report.name = name;
  report.bounds = target.sla.bounds;
  report.range = range;
  report.min_requests = requests_for_bounds(target.sla.bounds, range.tail_samples);
  SlaSearch search(range);
  double seconds = 0.0;
  while (auto concurrency = search.next()) {
    CaseName level = name;
    level.sla = false;
    level.concurrency = *concurrency;
    LoadSpec spec = window_spec(target, level);
    spec.duration = Nanos{0};
    spec.requests = std::max(target.requests_for(*concurrency), report.min_requests);
    if (progress) progress->note("probe " + std::to_string(search.probes() + 1) + ": c=" + std::to_string(*concurrency) +
                                 ", " + std::to_string(spec.requests) + " requests");
    auto measured = measure_level(run, level, spec, timers, clock, progress);
    SlaProbe probe{*concurrency, std::move(measured.metrics), {}, {}};
    probe.values = counter_values(probe.metrics, counters);
    probe.verdict = judge_probe(target.sla.bounds, probe.values, probe.metrics.errors(), probe.metrics.stable);
    search.record(*concurrency, probe.verdict.met);
    seconds += probe.metrics.window_seconds;
    report.probes.push_back(std::move(probe));
  }
  report.max_concurrency = search.max_concurrency();
  report.first_broken = search.first_broken();
  state.counters["max_concurrency"] = static_cast<double>(report.max_concurrency);
  state.counters["probes"] = static_cast<double>(search.probes());
  if (const SlaProbe* at = report.probe_at(report.max_concurrency)) set_counters(state, at->metrics, counters, "at_max.");
  if (report.first_broken) {
    state.counters["broke_concurrency"] = static_cast<double>(*report.first_broken);
    // What broke, and the load it broke at: the bounded counters and the few that say how loaded it was.
    std::vector<CounterSpec> breaking;
    for (const auto& spec : counters) {
      const bool bounded = std::any_of(target.sla.bounds.begin(), target.sla.bounds.end(),
                                       [&](const SlaBound& b) { return b.counter == spec.name; });
      if (bounded || spec.name == "requests" || spec.name == "errors" || spec.name == "throughput_rps") {
        breaking.push_back(spec);
      }
    }
    set_counters(state, report.probe_at(*report.first_broken)->metrics, breaking, "at_break.");
  }
  state.SetIterationTime(std::max(seconds, 1e-9));
  state.SetLabel(sla_summary(report));
  table.add_sla(std::move(report));
}

}  // namespace

void register_sla_case(TargetRun& run, const CaseName& name, TimerQueue& timers, ResultTable& table,
                       const Clock& clock, SweepProgress* progress) {
  benchmark::RegisterBenchmark(name.str().c_str(), [&run, &timers, &table, &clock, name, progress](benchmark::State& state) {
    for (auto _ : state) {
      if (progress) progress->start(name.str());
      run_search(run, name, timers, table, clock, progress, state);
    }
  })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
}

}  // namespace voxperf::bench
