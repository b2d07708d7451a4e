#include "perf_tests/target_cases.h"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <optional>

#include "harness/grpc/channel_credentials.h"
#include "harness/load_driver.h"
#include "harness/riva/asr_offline_client.h"
#include "harness/riva/asr_stream_client.h"
#include "harness/riva/tts_batch_client.h"
#include "harness/riva/tts_stream_client.h"
#include "harness/telemetry/gpu_metrics.h"
#include "harness/telemetry/gpu_sampler.h"
#include "harness/telemetry/gpu_stats.h"
#include "harness/telemetry/nvml_source.h"

namespace voxperf::bench {
namespace {

CallSettings call_settings(const Target& target) {
  CallSettings call;
  call.deadline = target.deadline;
  call.metadata = target.metadata;
  return call;
}

AsrSettings asr_settings(const Target& target) {
  AsrSettings settings;
  settings.language_code = target.language_code;
  settings.interim_results = target.interim_results;
  settings.chunk = target.chunk;
  settings.real_time = target.real_time;
  settings.call = call_settings(target);
  return settings;
}

TtsSettings tts_settings(const Target& target) {
  TtsSettings settings;
  settings.voice_name = target.voice;
  settings.language_code = target.language_code;
  settings.sample_rate_hz = target.sample_rate_hz;
  settings.call = call_settings(target);
  return settings;
}

std::unique_ptr<RequestClient> make_client(TargetRun& run, const std::string& mode, TimerQueue& timers,
                                           const Clock& clock) {
  const Target& target = run.target;
  auto& channels = *run.channels;
  if (target.kind == TargetKind::kRivaAsr) {
    if (mode == "stream") {
      return std::make_unique<RivaAsrStreamClient>(channels, run.utterances, asr_settings(target), timers, clock);
    }
    return std::make_unique<RivaAsrOfflineClient>(channels, run.utterances, asr_settings(target), clock);
  }
  if (mode == "stream") return std::make_unique<RivaTtsStreamClient>(channels, run.prompts, tts_settings(target), clock);
  return std::make_unique<RivaTtsBatchClient>(channels, run.prompts, tts_settings(target), clock);
}

// User plus system CPU time of this process: the client, when the server runs elsewhere.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
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
  if (target.kind == TargetKind::kRivaAsr) {
    run->utterances = load_utterances(target.data);
  } else {
    run->prompts = read_prompts(target.data);
  }
  Endpoint endpoint;
  endpoint.address = address;
  endpoint.channels = target.channels;
  endpoint.max_message_bytes = static_cast<int>(target.max_message_bytes);
  endpoint.credentials = channel_credentials(target.tls);
  endpoint.tls_server_name = target.tls.server_name;
  run->channels = std::make_unique<ChannelPool>(endpoint);
  run->gpu = gpu_source(target.gpu_metrics);
  return run;
}

namespace {

// One measured window of one side of a case: warm-up (discarded), then the window; sets that side's
// counters, prefixed with `prefix` ("" or "baseline.").
WindowMetrics measure_window(TargetRun& run, const CaseName& name, TimerQueue& timers, const Clock& clock,
                             benchmark::State& state, const std::string& prefix, ResultTable& table) {
  auto client = make_client(run, name.mode, timers, clock);
  LoadDriver driver(*client, timers, clock);
  LoadSpec warmup;
  warmup.concurrency = name.concurrency;
  warmup.requests = run.target.warmup_requests;
  LoadSpec window = warmup;
  window.requests = run.target.requests_for(name.concurrency);
  if (warmup.requests > 0) driver.run(warmup);  // kept apart so that CPU time counts the window only
  const double client_cpu = process_cpu_seconds();
  const double server_cpu = run.server_cpu_seconds ? run.server_cpu_seconds() : 0.0;
  std::optional<telemetry::GpuSampler> sampler;
  if (run.gpu) {
    sampler.emplace(*run.gpu, run.target.gpu_metrics.interval);
    sampler->start();
  }
  const auto result = driver.run(window);
  if (sampler) {
    const auto readings = sampler->stop();
    const auto gpu = telemetry::summarize_gpu(readings);
    set_gpu_counters(state, gpu, prefix);
    const std::string problem = run.gpu->problem();
    table.add_gpu((prefix.empty() ? name : name.ab_baseline()).target(), gpu,
                  run.gpu->describe() + (problem.empty() ? "" : " (" + problem + ")"));
  }
  const auto metrics = summarize_window(result.records, result.window);
  set_counters(state, metrics, prefix);
  state.counters[prefix + "client_cpu_s"] = process_cpu_seconds() - client_cpu;
  if (run.server_cpu_seconds) state.counters[prefix + "server_cpu_s"] = run.server_cpu_seconds() - server_cpu;
  return metrics;
}

}  // namespace

void register_target_cases(TargetRun& run, TimerQueue& timers, ResultTable& table, const Clock& clock) {
  const Target& target = run.target;
  const std::string pipeline = target.kind == TargetKind::kRivaAsr ? "ASR" : "TTS";
  for (const auto& mode : target.modes) {
    for (std::size_t concurrency : target.concurrency) {
      const CaseName name{pipeline, target.model, target.profile, mode, concurrency};
      auto repetition = std::make_shared<std::size_t>(0);
      benchmark::RegisterBenchmark(name.str().c_str(), [&run, &timers, &table, &clock, name,
                                                         repetition](benchmark::State& state) {
        for (auto _ : state) {
          std::optional<WindowMetrics> baseline;
          // A/B: the baseline side first on even repetitions, second on odd ones, so that neither side always
          // finds the machine just warmed (or just tired) by the other.
          const bool baseline_first = *repetition % 2 == 0;
          if (run.ab_baseline && baseline_first) baseline = measure_window(*run.ab_baseline, name, timers, clock, state, kAbBaselinePrefix, table);
          const auto metrics = measure_window(run, name, timers, clock, state, "", table);
          if (run.ab_baseline && !baseline_first) baseline = measure_window(*run.ab_baseline, name, timers, clock, state, kAbBaselinePrefix, table);
          ++*repetition;
          state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
          // A case with errors still reports what it measured; the label marks it failed in every output.
          std::size_t errors = metrics.errors() + (baseline ? baseline->errors() : 0);
          if (errors > 0) {
            state.SetLabel("FAILED: errors " + errors_cell(metrics) +
                           (baseline && baseline->errors() > 0 ? ", baseline " + errors_cell(*baseline) : ""));
          }
          table.add(name, metrics);
          if (baseline) table.add(name.ab_baseline(), *baseline);
        }
      })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace voxperf::bench
