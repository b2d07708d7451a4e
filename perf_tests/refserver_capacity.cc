// voxperf_refserver_capacity: how much real speech work voxperf-refserver sustains on this machine, per core.
// It starts the server binary as a child process (profile bs64, so the cap never binds) and measures:
//   Capacity/ASR/stream/c:N  N real-time paced streams of LibriVox speech. The server keeps up while the
//                            p99 server tail (last chunk sent -> final transcript) stays under 1 s.
//   Capacity/TTS/batch/c:N   closed-loop Synthesize of the TTS prompts.
// Besides the usual latency counters, each case reports the server's own CPU seconds (from /proc), so
// "per core" does not depend on how much CPU the client took. The summary at the end is what the README
// quotes.
#include <benchmark/benchmark.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include "harness/input_error.h"
#include "perf_tests/exit_codes.h"
#include "harness/load_driver.h"
#include "harness/manifest.h"
#include "harness/prompts.h"
#include "harness/pipelines/riva_asr/asr_stream_client.h"
#include "harness/pipelines/riva_tts/tts_batch_client.h"
#include "perf_tests/server_process.h"

namespace voxperf::bench {
namespace {

constexpr double kKeepsUpTailMs = 1000;

struct Capacity {
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<ChannelPool> channels;
  std::vector<Utterance> utterances;
  std::vector<Prompt> prompts;
  ThreadTimerQueue timers;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::size_t most_streams_kept_up = 0;
  double asr_cpu_per_audio_second = 0;  // at the largest load that kept up
  double tts_best_rps = 0, tts_requests_per_cpu_second = 0;
};

struct Measured {
  WindowMetrics metrics;
  double server_cpu = 0;
};

Measured measure(benchmark::State& state, Capacity& capacity, RequestClient& client, const LoadSpec& spec) {
  LoadDriver driver(client, capacity.timers);
  Measured out;
  for (auto _ : state) {
    LoadSpec warmup = spec;  // decoders load on first use (0.3 s each): keep that out of the window
    warmup.requests = spec.warmup_requests;
    warmup.warmup_requests = 0;
    driver.run(warmup);
    const double cpu_before = capacity.server->cpu_seconds();
    auto measured = spec;
    measured.warmup_requests = 0;
    const auto result = driver.run(measured);
    out.server_cpu = capacity.server->cpu_seconds() - cpu_before;
    out.metrics = summarize_window(result.records, result.window);
    state.SetIterationTime(std::max(out.metrics.window_seconds, 1e-9));
  }
  const auto& m = out.metrics;
  state.counters["requests"] = static_cast<double>(m.requests);
  state.counters["errors"] = static_cast<double>(m.errors());
  state.counters["throughput_rps"] = m.throughput_rps;
  state.counters["rtfx"] = m.rtfx;
  state.counters["server_cpu_s"] = out.server_cpu;
  state.counters["server_cores_busy"] = out.server_cpu / std::max(m.window_seconds, 1e-9);
  return out;
}

void asr_case(benchmark::State& state, Capacity& capacity, std::size_t streams) {
  RivaAsrStreamClient client(*capacity.channels, capacity.utterances, AsrSettings{}, capacity.timers);
  LoadSpec spec;
  spec.concurrency = streams;
  spec.requests = 2 * streams;
  spec.warmup_requests = streams;
  const auto measured = measure(state, capacity, client, spec);
  const auto& m = measured.metrics;
  double audio_seconds = m.rtfx * m.window_seconds;
  const double cpu_per_audio = measured.server_cpu / std::max(audio_seconds, 1e-9);
  const double tail_p99 = m.server_tail.count() > 0 ? m.server_tail.percentile_ms(99) : 0;
  const bool kept_up = m.errors() == 0 && tail_p99 <= kKeepsUpTailMs;
  state.counters["server_tail_p99_ms"] = tail_p99;
  state.counters["server_cpu_per_audio_s"] = cpu_per_audio;
  state.counters["kept_up"] = kept_up ? 1 : 0;
  if (kept_up && streams > capacity.most_streams_kept_up) {
    capacity.most_streams_kept_up = streams;
    capacity.asr_cpu_per_audio_second = cpu_per_audio;
  }
}

void tts_case(benchmark::State& state, Capacity& capacity, std::size_t concurrency) {
  TtsSettings settings;
  RivaTtsBatchClient client(*capacity.channels, capacity.prompts, settings);
  LoadSpec spec;
  spec.concurrency = concurrency;
  spec.requests = 400;  // about 1.5 s: long enough that 10 ms CPU-time ticks do not matter
  spec.warmup_requests = concurrency;
  const auto measured = measure(state, capacity, client, spec);
  const auto& m = measured.metrics;
  const double per_cpu_second = static_cast<double>(m.completed) / std::max(measured.server_cpu, 1e-9);
  state.counters["latency_p99_ms"] = m.latency.count() > 0 ? m.latency.percentile_ms(99) : 0;
  state.counters["requests_per_server_cpu_s"] = per_cpu_second;
  if (m.errors() == 0 && m.throughput_rps > capacity.tts_best_rps) {
    capacity.tts_best_rps = m.throughput_rps;
    capacity.tts_requests_per_cpu_second = per_cpu_second;
  }
}

std::string summary(const Capacity& c) {
  std::ostringstream out;
  out.precision(3);
  out << "\nreference-server capacity on this machine (" << c.cores << " cores):\n";
  if (c.most_streams_kept_up > 0) {
    out << "  ASR: " << c.most_streams_kept_up << " real-time streams kept up (p99 server tail <= "
        << kKeepsUpTailMs << " ms) = " << static_cast<double>(c.most_streams_kept_up) / c.cores
        << " per core; the server spent " << c.asr_cpu_per_audio_second
        << " CPU s per audio s there, i.e. at most " << 1.0 / c.asr_cpu_per_audio_second
        << " streams per fully busy core\n";
  } else {
    out << "  ASR: not even one real-time stream kept up\n";
  }
  out << "  TTS: best " << c.tts_best_rps << " requests/s; " << c.tts_requests_per_cpu_second
      << " requests per server CPU second (espeak-ng synthesizes on one thread)\n";
  return out.str();
}

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  CLI::App app{"voxperf_refserver_capacity: what voxperf-refserver sustains per core"};
  std::string server_binary = VOXPERF_REFSERVER_BIN;
  std::string manifest = VOXPERF_SOURCE_DIR "/data/librivox.jsonl";
  std::string prompts = VOXPERF_SOURCE_DIR "/data/tts_prompts.txt";
  app.add_option("--server", server_binary, "voxperf-refserver binary")->check(CLI::ExistingFile);
  app.add_option("--asr-manifest", manifest, "JSON-lines manifest of {audio, text}")->check(CLI::ExistingFile);
  app.add_option("--tts-prompts", prompts, "TTS prompts (id|text)")->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  Capacity capacity;
  capacity.utterances = load_utterances(manifest);
  capacity.prompts = read_prompts(prompts);
  capacity.server = std::make_unique<ServerProcess>(server_binary, std::vector<std::string>{"--profile", "bs64"});
  Endpoint endpoint;
  endpoint.address = capacity.server->address();
  endpoint.channels = 4;
  capacity.channels = std::make_unique<ChannelPool>(endpoint);
  capacity.channels->wait_connected(std::chrono::seconds(10));

  for (std::size_t streams : {1, 4, 8, 12, 16, 24}) {
    benchmark::RegisterBenchmark(("Capacity/ASR/stream/c:" + std::to_string(streams)).c_str(),
                                 [&capacity, streams](benchmark::State& state) { asr_case(state, capacity, streams); })
        ->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
  }
  for (std::size_t concurrency : {1, 4, 16}) {
    benchmark::RegisterBenchmark(
        ("Capacity/TTS/batch/c:" + std::to_string(concurrency)).c_str(),
        [&capacity, concurrency](benchmark::State& state) { tts_case(state, capacity, concurrency); })
        ->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::cout << summary(capacity);
  return 0;
}

}  // namespace
}  // namespace voxperf::bench

int main(int argc, char** argv) {
  return voxperf::bench::run_reporting_errors("voxperf_refserver_capacity", [&] { return voxperf::bench::run(argc, argv); });
}
