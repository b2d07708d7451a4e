#include "perf_tests/target_cases.h"

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "harness/grpc/channel_credentials.h"
#include "harness/load_driver.h"
#include "harness/riva/asr_offline_client.h"
#include "harness/riva/asr_stream_client.h"
#include "harness/riva/tts_batch_client.h"
#include "harness/riva/tts_stream_client.h"

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
  return run;
}

void register_target_cases(TargetRun& run, TimerQueue& timers, ResultTable& table, const Clock& clock) {
  const Target& target = run.target;
  const std::string pipeline = target.kind == TargetKind::kRivaAsr ? "ASR" : "TTS";
  for (const auto& mode : target.modes) {
    for (std::size_t concurrency : target.concurrency) {
      const CaseName name{pipeline, target.model, target.profile, mode, concurrency};
      benchmark::RegisterBenchmark(name.str().c_str(), [&run, &timers, &table, &clock, name](benchmark::State& state) {
        auto client = make_client(run, name.mode, timers, clock);
        LoadDriver driver(*client, timers, clock);
        LoadSpec warmup;
        warmup.concurrency = name.concurrency;
        warmup.requests = run.target.warmup_requests;
        LoadSpec window = warmup;
        window.requests = run.target.requests_for(name.concurrency);
        for (auto _ : state) {
          if (warmup.requests > 0) driver.run(warmup);  // discarded; kept apart so CPU counts the window only
          const double client_cpu = process_cpu_seconds();
          const double server_cpu = run.server_cpu_seconds ? run.server_cpu_seconds() : 0.0;
          const auto result = driver.run(window);
          const auto metrics = summarize_window(result.records, result.window);
          state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
          set_counters(state, metrics);
          state.counters["client_cpu_s"] = process_cpu_seconds() - client_cpu;
          if (run.server_cpu_seconds) state.counters["server_cpu_s"] = run.server_cpu_seconds() - server_cpu;
          // A case with errors still reports what it measured; the label marks it failed in every output.
          if (metrics.errors() > 0) state.SetLabel("FAILED: errors " + errors_cell(metrics));
          table.add(name, metrics);
        }
      })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace voxperf::bench
