// voxperf-plan: how many GPUs (or machines) a number of users needs, and what it costs, from measured
// voxperf_bench results and a scenario file. See the README, "Capacity and cost".
//
//   voxperf-plan targets/plan-5000-conversations.json
//   voxperf-plan targets/plan-refserver.json --results build/plan/results.json --out plan.md
//
// Exit codes: 0 planned; 2 bad input, including a figure the scenario needs that no results file has.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "harness/input_error.h"
#include "perf_tests/exit_codes.h"
#include "tools/plan/capacity.h"
#include "tools/plan/measured_cases.h"
#include "tools/plan/plan_report.h"
#include "tools/plan/scenario.h"

namespace voxperf::plan {
namespace {

// "^(ASR/pocketsphinx/default/stream/|TTS/espeak-ng/bs8/stream/)": every case of each pipeline's cases (its
// SLA case, and its sweep rows), regex characters escaped; an exact case matches itself only.
std::string sweep_filter_of(const Scenario& scenario) {
  std::string out;
  for (const auto& p : scenario.pipelines) {
    std::string escaped;
    for (char c : p.cases) {
      if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) escaped += '\\';
      escaped += c;
    }
    const bool exact = p.cases.find("/c:") != std::string::npos;
    out += (out.empty() ? "" : "|") + escaped + (exact ? "$" : "/");
  }
  return "^(" + out + ")";
}

int run(int argc, char** argv) {
  CLI::App app{"voxperf-plan: GPUs and cost for a scenario, from measured voxperf_bench results"};
  std::string scenario_file, out_file;
  std::vector<std::string> results;
  app.add_option("scenario", scenario_file, "the scenario (JSON)")->required();
  app.add_option("--results", results, "results files (voxperf_bench --benchmark_out); default: the scenario's \"results\"");
  app.add_option("--out", out_file, "also write the Markdown here");
  bool sweep_targets = false, sweep_filter = false;
  app.add_flag("--sweep-targets", sweep_targets, "print the scenario's targets files, one per line, and exit (tools/sweep --plan)");
  app.add_flag("--sweep-filter", sweep_filter,
               "print a --benchmark_filter for the cases its pipelines read, and exit (tools/sweep --plan)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  Scenario scenario = load_scenario(scenario_file);
  if (sweep_targets) {
    if (scenario.targets.empty()) {
      throw InputError(scenario_file + ": no \"targets\": nothing to measure; voxperf-plan plans from its \"results\"");
    }
    for (const auto& t : scenario.targets) std::cout << t.string() << "\n";
    return 0;
  }
  if (sweep_filter) {
    std::cout << sweep_filter_of(scenario) << "\n";
    return 0;
  }
  if (!results.empty()) scenario.results.assign(results.begin(), results.end());
  const MeasuredCases cases(scenario.results);
  std::vector<PipelinePlan> plans;
  for (const auto& demand : scenario.pipelines) plans.push_back(plan_pipeline(scenario, demand, cases));
  const std::string markdown = plan_markdown(scenario, plans, cases.files_text());
  std::cout << markdown;
  if (!out_file.empty()) {
    std::ofstream out(out_file);
    out << markdown;
    if (!out) throw InputError("--out " + out_file + ": can not write the plan");
  }
  return 0;
}

}  // namespace
}  // namespace voxperf::plan

int main(int argc, char** argv) {
  return voxperf::bench::run_reporting_errors("voxperf-plan", [&] { return voxperf::plan::run(argc, argv); });
}
