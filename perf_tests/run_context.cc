#include "perf_tests/run_context.h"

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "harness/pipelines/pipeline.h"

namespace voxperf::bench {
namespace {

using json = nlohmann::json;

}  // namespace

std::string target_json(const Target& t) {
  json metadata = json::object();
  for (const auto& [key, written] : t.metadata_as_written) metadata[key] = written;
  json out = {{"model", t.model},
              {"profile", t.profile},
              {"kind", t.kind},
              {"endpoint", t.endpoint},
              {"modes", t.modes},
              {"concurrency", t.concurrency},
              {"requests_per_window", t.requests_per_window},
              {"warmup_requests", t.warmup_requests},
              {"tls", t.tls.enabled},
              {"metadata", metadata},
              {"deadline_ms", t.deadline.count()},
              {"channels", t.channels}};
  // Only when set, so that closed-loop targets keep the description their stored baselines were made with.
  if (!t.request_rate.empty()) {
    out["request_rate"] = t.request_rate;
    out["distribution"] = t.poisson ? "poisson" : "constant";
  }
  if (t.time_windows) {
    out["measurement_mode"] = "time_windows";
    out["window_ms"] = t.window.count();
  }
  if (t.stability.percent) {
    out["stability_percent"] = *t.stability.percent;
    out["max_windows"] = t.stability.max_windows;
  }
  if (t.stability.latency_threshold_ms) out["latency_threshold_ms"] = *t.stability.latency_threshold_ms;
  if (t.sla.search) {
    json bounds = json::object();
    for (const auto& b : t.sla.bounds) bounds[b.counter] = b.at_most ? json(b.limit) : json{{"min", b.limit}};
    out["sla"] = bounds;
    out["sla_search"] = {{"min", t.sla.search->min}, {"max", t.sla.search->max},
                         {"tail_samples", t.sla.search->tail_samples}};
  }
  t.settings->describe(out);
  return out.dump();
}

std::string server_config_json(TargetRun& run) { return run.opened->server_config(); }

void add_run_context(const std::string& targets_file, const std::vector<std::unique_ptr<TargetRun>>& runs,
                     const std::vector<std::string>& injected_faults) {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  benchmark::AddCustomContext("voxperf_version", VOXPERF_VERSION);
  benchmark::AddCustomContext("host", std::string(host) + ", " + std::to_string(std::thread::hardware_concurrency()) +
                                          " cores");
  benchmark::AddCustomContext("targets_file", targets_file);
  if (!injected_faults.empty()) {
    std::string faults;
    for (const auto& fault : injected_faults) faults += (faults.empty() ? "" : " ") + fault;
    benchmark::AddCustomContext("injected_faults", faults);
  }
  // The GPUs the targets' telemetry sees now: part of the gate's fingerprint ("none" without any).
  std::set<std::string> gpus;
  for (const auto& run : runs) {
    if (!run->gpu) continue;
    for (const auto& reading : run->gpu->read()) gpus.insert(reading.name + (reading.mig ? " (MIG)" : ""));
  }
  std::string gpu_names;
  for (const auto& name : gpus) gpu_names += (gpu_names.empty() ? "" : ", ") + name;
  benchmark::AddCustomContext("gpu", gpu_names.empty() ? "none" : gpu_names);
  for (const auto& run : runs) {
    const auto& t = run->target;
    const std::string key = t.pipeline->family() + "/" + t.model + "/" + t.profile;
    benchmark::AddCustomContext("target " + key, target_json(t));
    benchmark::AddCustomContext("server_config " + key, server_config_json(*run));
    benchmark::AddCustomContext("gpu_metrics " + key, run->gpu ? run->gpu->describe() : "none");
    if (run->ab_baseline) {  // interleaved A/B: what the baseline.* counters measured
      benchmark::AddCustomContext("ab_baseline target " + key, target_json(run->ab_baseline->target));
      benchmark::AddCustomContext("ab_baseline server_config " + key, server_config_json(*run->ab_baseline));
    }
  }
}

}  // namespace voxperf::bench
