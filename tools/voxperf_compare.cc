// voxperf-compare: the regression gate. Compares a voxperf_bench results file with a stored baseline, or the
// two sides of an interleaved A/B run, and exits non-zero on a regression or an invalid run; also accepts a
// run into a baseline (tools/refresh-baselines). See the README, "Regression gate".
//
//   voxperf-compare results.json --baseline baselines/riva-tts/refserver-gate.json
//   voxperf-compare results.json --baseline B --confirm rerun.json      (a regression must show in both)
//   voxperf-compare ab.json [look2.json ...] --ab [--more-filter FILE]   (the looks of a sequential A/B gate)
//   voxperf-compare results.json --baseline B --accept [--suite riva-tts --filter '^TTS/'] [--new-fingerprint]
//
// Exit codes: 0 passed (or report mode, or accepted); 1 failed (enforce mode); 3 failed by regressions only,
// not yet confirmed by a rerun (--confirm); 4 (A/B) nothing failed, but some cases are undecided below the
// cap: measure them again (--more-filter) and compare every file; 2 bad input.
#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "harness/input_error.h"
#include "perf_tests/exit_codes.h"
#include "harness/request_samples.h"
#include "tools/gate/ab_compare.h"
#include "tools/gate/baseline_update.h"
#include "tools/gate/gate_report.h"
#include "tools/gate/stored_compare.h"

namespace voxperf::gate {
namespace {

void write_file(const std::string& path, const std::string& text, const char* what) {
  if (path.empty()) return;
  std::ofstream out(path);
  out << text;
  if (!out) throw InputError(path + ": can not write the " + what);
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

int run(int argc, char** argv) {
  CLI::App app{"voxperf-compare: the regression gate for voxperf_bench results"};
  std::vector<std::string> results_paths;
  std::string baseline_path, confirm_path, junit_path, json_path, rerun_filter_path, more_filter_path;
  std::string policy_path = VOXPERF_SOURCE_DIR "/baselines/policy.json";
  std::string mode = "enforce";
  bool interleaved = false, accept = false, new_fingerprint = false;
  SuiteSpec spec;
  app.add_option("results", results_paths,
                 "voxperf_bench --benchmark_out file; with --ab, several: the looks of one A/B gate, pooled")
      ->required();
  app.add_option("--baseline", baseline_path, "stored baseline (baselines/<suite>/<target set>.json)");
  app.add_flag("--ab", interleaved, "compare the two sides of a voxperf_bench --ab-baseline run");
  app.add_option("--confirm", confirm_path, "results of a rerun: a regression must show in both");
  app.add_option("--policy", policy_path, "gate policy")->capture_default_str();
  app.add_option("--mode", mode, "enforce: exit 1 on a failure; report: always exit 0")
      ->check(CLI::IsMember({"enforce", "report"}))
      ->capture_default_str();
  app.add_option("--junit", junit_path, "also write a JUnit XML summary here");
  app.add_option("--json", json_path, "also write a JSON summary here");
  app.add_option("--more-filter", more_filter_path,
                 "--ab: write a --benchmark_filter of the cases still undecided below the cap here (empty when none)");
  app.add_option("--rerun-filter", rerun_filter_path,
                 "write a --benchmark_filter of the regressed cases here (empty file when none)");
  app.add_flag("--accept", accept, "accept the results into --baseline (refused when the run is invalid)");
  app.add_option("--suite", spec.suite, "--accept into a new baseline: the suite's name");
  app.add_option("--target-set", spec.target_set, "--accept into a new baseline: the target set's name");
  app.add_option("--filter", spec.filter, "--accept into a new baseline: regex of the suite's case names");
  app.add_flag("--new-fingerprint", new_fingerprint, "--accept a run whose fingerprint changed; the history restarts");
  CLI11_PARSE(app, argc, argv);

  const GatePolicy policy = read_policy(policy_path);
  if (results_paths.size() > 1 && !interleaved) {
    throw InputError("several results files are the looks of an A/B gate: give --ab, or one file");
  }
  const std::string& results_path = results_paths.front();
  Results results = read_results(results_path);
  if (interleaved) {
    read_samples(results, samples_path_for(results_path));
    for (std::size_t i = 1; i < results_paths.size(); ++i) {
      Results more = read_results(results_paths[i]);
      read_samples(more, samples_path_for(results_paths[i]));
      append_results(results, more);
    }
  }

  if (accept) {
    if (baseline_path.empty()) throw InputError("--accept needs --baseline FILE");
    std::optional<Baseline> existing;
    if (std::filesystem::exists(baseline_path)) {
      existing = read_baseline(baseline_path);
    } else if (spec.suite.empty() || spec.filter.empty() || spec.target_set.empty()) {
      throw InputError(baseline_path + ": no such baseline; to start one give --suite, --target-set and --filter");
    }
    UpdateOptions options;
    options.new_fingerprint = new_fingerprint;
    options.accepted_at = utc_now();
    std::vector<std::string> summary;
    const Baseline updated = accept_run(existing, spec, results, policy, options, summary);
    write_baseline(baseline_path, updated);
    for (const auto& line : summary) std::cout << line << "\n";
    std::cout << "accepted " << results_path << " into " << baseline_path << " (" << updated.cases.size()
              << " cases, " << updated.accepted.size() << " runs); review with git diff, then commit\n";
    return 0;
  }

  Comparison comparison;
  if (interleaved) {
    if (!baseline_path.empty()) throw InputError("--ab compares within one run: leave out --baseline");
    comparison = compare_interleaved(results, policy);
  } else {
    if (baseline_path.empty()) throw InputError("give --baseline FILE, or --ab for an interleaved A/B run");
    if (!std::filesystem::exists(baseline_path)) {
      throw InputError(baseline_path + ": no such baseline; create it with tools/refresh-baselines");
    }
    const Baseline baseline = read_baseline(baseline_path);
    std::optional<Results> confirmation;
    if (!confirm_path.empty()) confirmation = read_results(confirm_path);
    comparison = compare_with_baseline(baseline, results, policy, confirmation ? &*confirmation : nullptr);
  }
  write_file(junit_path, comparison_junit(comparison), "JUnit summary");
  write_file(json_path, comparison_json(comparison), "JSON summary");
  write_file(rerun_filter_path, rerun_filter(comparison), "rerun filter");
  write_file(more_filter_path, cases_filter(comparison.more), "filter of undecided cases");
  std::cout << comparison_table(comparison);
  if (mode == "report") return 0;
  if (!comparison.more.empty() && !comparison.failed()) return 4;
  if (!comparison.failed()) return 0;
  // Regressions alone, not yet confirmed: 3, so that a driver can rerun those cases and compare again
  // with --confirm (rerun filter). Anything else that failed: 1.
  return !interleaved && confirm_path.empty() && comparison.only_regressions() ? 3 : 1;
}

}  // namespace
}  // namespace voxperf::gate

int main(int argc, char** argv) {
  return voxperf::bench::run_reporting_errors("voxperf-compare", [&] { return voxperf::gate::run(argc, argv); });
}
