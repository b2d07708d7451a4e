#include "perf_tests/target_cases.h"

#include <benchmark/benchmark.h>

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

std::unique_ptr<RequestClient> make_client(TargetRun& run, const std::string& mode, TimerQueue& timers) {
  const Target& target = run.target;
  if (target.kind == TargetKind::kRivaAsr) {
    if (mode == "stream") {
      return std::make_unique<RivaAsrStreamClient>(*run.channels, run.utterances, asr_settings(target), timers);
    }
    return std::make_unique<RivaAsrOfflineClient>(*run.channels, run.utterances, asr_settings(target));
  }
  if (mode == "stream") return std::make_unique<RivaTtsStreamClient>(*run.channels, run.prompts, tts_settings(target));
  return std::make_unique<RivaTtsBatchClient>(*run.channels, run.prompts, tts_settings(target));
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

void register_target_cases(TargetRun& run, TimerQueue& timers, ResultTable& table) {
  const Target& target = run.target;
  const std::string pipeline = target.kind == TargetKind::kRivaAsr ? "ASR" : "TTS";
  for (const auto& mode : target.modes) {
    for (std::size_t concurrency : target.concurrency) {
      const CaseName name{pipeline, target.model, target.profile, mode, concurrency};
      benchmark::RegisterBenchmark(name.str().c_str(), [&run, &timers, &table, name](benchmark::State& state) {
        auto client = make_client(run, name.mode, timers);
        LoadDriver driver(*client, timers);
        LoadSpec spec;
        spec.concurrency = name.concurrency;
        spec.requests = run.target.requests_for(name.concurrency);
        spec.warmup_requests = run.target.warmup_requests;
        for (auto _ : state) {
          const auto result = driver.run(spec);
          const auto metrics = summarize_window(result.records, result.window);
          state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
          set_counters(state, metrics);
          // A case with errors still reports what it measured; the label marks it failed in every output.
          if (metrics.errors() > 0) state.SetLabel("FAILED: errors " + errors_cell(metrics));
          table.add(name, metrics);
        }
      })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace voxperf::bench
