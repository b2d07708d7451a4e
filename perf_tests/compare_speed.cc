// voxperf_compare_speed: how long the gate takes on a large suite. Writes a results file of 1,000 cases
// (17 counters, 5 repetitions each, Google Benchmark's JSON layout) and a baseline with 10 accepted runs
// of each, then times what voxperf-compare does with them: read both, compare, print the table.
// Target (issue 5): under a second for 1,000 cases.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "tools/gate/baseline_file.h"
#include "tools/gate/gate_policy.h"
#include "tools/gate/gate_report.h"
#include "tools/gate/stored_compare.h"

namespace {

namespace fs = std::filesystem;
using namespace voxperf::gate;

const char* const kCounters[] = {"requests", "errors", "unsent", "throughput_rps", "rtfx", "latency_mean_ms",
                                 "latency_p50_ms", "latency_p90_ms", "latency_p95_ms", "latency_p99_ms",
                                 "ttfa_mean_ms", "ttfa_p99_ms", "inter_chunk_mean_ms", "inter_chunk_p99_ms",
                                 "chars_per_s", "client_cpu_s", "schedule_lag_p99_ms"};

struct Files {
  fs::path dir, results, baseline, policy;
};

Files write_files(std::size_t cases) {
  Files f;
  f.dir = fs::temp_directory_path() / ("voxperf-compare-speed-" + std::to_string(getpid()));
  fs::create_directories(f.dir);
  f.results = f.dir / "results.json";
  f.baseline = f.dir / "baseline.json";
  f.policy = VOXPERF_SOURCE_DIR "/baselines/policy.json";
  std::mt19937 random(7);
  std::normal_distribution<double> noise(1.0, 0.03);
  auto value = [&](const char* counter) {
    const std::string name = counter;
    if (name == "errors" || name == "unsent") return 0.0;
    return 10.0 * noise(random);
  };
  nlohmann::json results = {{"context", {{"voxperf_version", "0.1.0"}}}, {"benchmarks", nlohmann::json::array()}};
  Baseline baseline;
  baseline.suite = "speed";
  baseline.target_set = "synthetic";
  baseline.filter = "^TTS/";
  baseline.fingerprint = {{"voxperf_version", "0.1.0"}, {"gpu", "none"}};
  for (std::size_t i = 0; i < cases; ++i) {
    const std::string name = "TTS/model-" + std::to_string(i / 10) + "/bs8/stream/c:" + std::to_string(i % 10 + 1);
    for (int rep = 0; rep < 5; ++rep) {
      nlohmann::json run = {{"name", name + "/iterations:1/manual_time"},
                            {"run_name", name + "/iterations:1/manual_time"},
                            {"run_type", "iteration"},
                            {"repetitions", 5},
                            {"repetition_index", rep},
                            {"real_time", 1000.0}};
      for (const char* counter : kCounters) run[counter] = value(counter);
      results["benchmarks"].push_back(run);
    }
    for (const char* counter : kCounters) {
      auto& history = baseline.cases[name][counter];
      for (int past = 0; past < 10; ++past) {
        auto& runs = history.emplace_back();
        for (int rep = 0; rep < 5; ++rep) runs.push_back(value(counter));
      }
    }
  }
  std::ofstream(f.results) << results.dump();
  write_baseline(f.baseline, baseline);
  return f;
}

void BM_CompareOneThousandCases(benchmark::State& state) {
  const Files files = write_files(static_cast<std::size_t>(state.range(0)));
  std::size_t rows = 0;
  for (auto _ : state) {
    const GatePolicy policy = read_policy(files.policy);
    const Results results = read_results(files.results);
    const Baseline baseline = read_baseline(files.baseline);
    const Comparison comparison = compare_with_baseline(baseline, results, policy);
    const std::string table = comparison_table(comparison);
    benchmark::DoNotOptimize(table.data());
    rows = comparison.rows.size();
  }
  state.counters["cases"] = static_cast<double>(state.range(0));
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["results_mb"] = static_cast<double>(fs::file_size(files.results)) / 1e6;
  state.counters["baseline_mb"] = static_cast<double>(fs::file_size(files.baseline)) / 1e6;
  fs::remove_all(files.dir);
}
BENCHMARK(BM_CompareOneThousandCases)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
