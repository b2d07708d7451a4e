// voxperf_bench: one Google Benchmark case per pipeline / model / profile / mode / concurrency, named
// "<pipeline>/<model>/<profile>/<mode>/c:<N>" (DESIGN.md). One iteration is one measured load window
// (manual time); repetitions come from --benchmark_repetitions. Every Google Benchmark flag works, e.g.
//   voxperf_bench --benchmark_filter=TTS/.*/stream
// voxperf's own flags: --riva HOST:PORT (a Riva server to measure; default: the embedded reference server,
// pocketsphinx and espeak-ng behind the Riva protocol, started in process), --asr-manifest, --tts-prompts,
// --requests-per-stream, --warmup.
#include <benchmark/benchmark.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "harness/input_error.h"
#include "harness/load_driver.h"
#include "harness/manifest.h"
#include "harness/prompts.h"
#include "harness/riva/asr_offline_client.h"
#include "harness/riva/asr_stream_client.h"
#include "harness/riva/tts_batch_client.h"
#include "harness/riva/tts_stream_client.h"
#include "perf_tests/result_table.h"
#include "server/ref_server.h"

namespace voxperf::bench {
namespace {

struct Options {
  std::string riva;  // empty: the embedded reference server
  std::string asr_manifest = VOXPERF_SOURCE_DIR "/data/librivox.jsonl";
  std::string tts_prompts = VOXPERF_SOURCE_DIR "/data/tts_prompts.txt";
  std::size_t requests_per_stream = 2;  // requests per window = max(minimum, concurrency * this)
  std::size_t minimum_requests = 5;
  std::size_t warmup = 2;
  std::size_t channels = 4;
};

// Everything the cases share: the server under test, data, channels and the pacer.
struct Suite {
  Options options;
  std::unique_ptr<refserver::RefServer> refserver;
  std::string asr_model = "riva", tts_model = "riva", profile = "default";
  std::vector<Utterance> utterances;
  std::vector<Prompt> prompts;
  std::unique_ptr<ChannelPool> channels;
  ThreadTimerQueue timers;
  ResultTable table;
};

void run_case(benchmark::State& state, Suite& suite, const CaseName& name, RequestClient& client) {
  LoadDriver driver(client, suite.timers);
  LoadSpec spec;
  spec.concurrency = name.concurrency;
  spec.requests = std::max(suite.options.minimum_requests, name.concurrency * suite.options.requests_per_stream);
  spec.warmup_requests = suite.options.warmup;
  for (auto _ : state) {
    const auto result = driver.run(spec);
    const auto metrics = summarize_window(result.records, result.window);
    state.SetIterationTime(std::max(metrics.window_seconds, 1e-9));
    set_counters(state, metrics);
    suite.table.add(name, metrics);
  }
}

void register_cases(Suite& suite) {
  auto add = [&suite](CaseName name, std::function<std::unique_ptr<RequestClient>()> make_client) {
    benchmark::RegisterBenchmark(name.str().c_str(), [&suite, name, make_client](benchmark::State& state) {
      auto client = make_client();
      run_case(state, suite, name, *client);
    })->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
  };
  for (std::size_t c : {1, 4, 16}) {
    add({"ASR", suite.asr_model, suite.profile, "stream", c}, [&suite] {
      return std::make_unique<RivaAsrStreamClient>(*suite.channels, suite.utterances, AsrSettings{}, suite.timers);
    });
  }
  for (std::size_t c : {1, 8}) {
    add({"ASR", suite.asr_model, suite.profile, "offline", c}, [&suite] {
      return std::make_unique<RivaAsrOfflineClient>(*suite.channels, suite.utterances, AsrSettings{});
    });
  }
  for (std::size_t c : {1, 4, 16, 64}) {
    add({"TTS", suite.tts_model, suite.profile, "stream", c}, [&suite] {
      return std::make_unique<RivaTtsStreamClient>(*suite.channels, suite.prompts, TtsSettings{});
    });
  }
  for (std::size_t c : {1, 8}) {
    add({"TTS", suite.tts_model, suite.profile, "batch", c}, [&suite] {
      return std::make_unique<RivaTtsBatchClient>(*suite.channels, suite.prompts, TtsSettings{});
    });
  }
}

int main_with_errors(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);  // takes the --benchmark_* flags out of argv
  Options options;
  CLI::App app{"voxperf_bench: speech-server benchmark cases (Google Benchmark flags are accepted too)"};
  app.add_option("--riva", options.riva, "Riva server HOST:PORT to measure (default: the embedded reference server)");
  app.add_option("--asr-manifest", options.asr_manifest, "JSON-lines manifest of {audio, text}")->check(CLI::ExistingFile);
  app.add_option("--tts-prompts", options.tts_prompts, "TTS prompts, one per line (id|text)")->check(CLI::ExistingFile);
  app.add_option("--requests-per-stream", options.requests_per_stream, "requests per window = concurrency x this")
      ->check(CLI::PositiveNumber);
  app.add_option("--warmup", options.warmup, "warm-up requests before each window (discarded)");
  app.add_option("--channels", options.channels, "gRPC channels (connections) to the server")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  auto suite = std::make_unique<Suite>();
  suite->options = options;
  Endpoint endpoint;
  if (options.riva.empty()) {
    suite->refserver = std::make_unique<refserver::RefServer>(refserver::RefServerOptions{});
    endpoint.address = suite->refserver->address();
    suite->asr_model = "pocketsphinx";
    suite->tts_model = "espeak-ng";
    suite->profile = suite->refserver->options().profile.name;
    std::cerr << "voxperf_bench: no --riva given; measuring the embedded reference server: "
              << suite->refserver->describe() << "\n";
  } else {
    endpoint.address = options.riva;
  }
  endpoint.channels = options.channels;
  suite->channels = std::make_unique<ChannelPool>(endpoint);
  suite->channels->wait_connected(std::chrono::seconds(10));
  suite->utterances = load_utterances(options.asr_manifest);
  suite->prompts = read_prompts(options.tts_prompts);
  register_cases(*suite);

  benchmark::ConsoleReporter console(benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&console);
  benchmark::Shutdown();
  std::cout << "\n" << suite->table.markdown();
  const std::size_t failed = suite->table.cases_with_errors();
  if (failed > 0) {
    std::cerr << "voxperf_bench: " << failed << " case(s) had errors (see the Errors column)\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace voxperf::bench

int main(int argc, char** argv) {
  try {
    return voxperf::bench::main_with_errors(argc, argv);
  } catch (const voxperf::InputError& e) {
    std::cerr << "voxperf_bench: " << e.what() << "\n";
    return 2;
  }
}
