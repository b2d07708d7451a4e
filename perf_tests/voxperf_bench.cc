// voxperf_bench: the cases of a targets file (targets/README in the main README), one Google Benchmark case
// per target x mode x concurrency, named "<pipeline>/<model>/<profile>/<mode>/c:<N>" (DESIGN.md). Every
// Google Benchmark flag works, e.g.
//   voxperf_bench --benchmark_filter=TTS/.*/bs64 --benchmark_repetitions=5
// voxperf's own flag: --targets FILE (default: targets/refserver.json, whose targets are "embedded": the
// reference server, which this program starts as a child process, one per profile, and stops at the end).
// The results JSON (--benchmark_out) carries a context block: targets without secrets, each server's
// config response, voxperf's version and the host.
#include <benchmark/benchmark.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <unistd.h>

#include "harness/grpc/lock_checks.h"
#include "harness/input_error.h"
#include "perf_tests/case_selection.h"
#include "perf_tests/exit_codes.h"
#include "harness/targets/targets_file.h"
#include "perf_tests/latency_plot.h"
#include "perf_tests/result_table.h"
#include "perf_tests/run_context.h"
#include "perf_tests/server_process.h"
#include "perf_tests/record_export.h"
#include "perf_tests/sample_export.h"
#include "harness/request_samples.h"
#include "perf_tests/target_cases.h"
#include "server/profile.h"

namespace voxperf::bench {
namespace {

// Embedded targets share one reference server per profile. Each runs as its own process, so that the
// client's CPU time (getrusage of this process) and the server's are measured apart. By default this program
// starts them, with `fault_args` (--inject-fault: voxperf-refserver --fault-* flags); with
// --embedded-servers DIR it uses servers already running (CTest fixtures, tools/refserver-fixture), found by
// DIR/<profile>.port and DIR/<profile>.pid.
class EmbeddedServers {
 public:
  struct Server {
    std::string address;       // gRPC
    std::string http_address;  // the OpenAI HTTP API
    std::function<double()> cpu_seconds;
  };

  EmbeddedServers(std::vector<std::string> fault_args, std::filesystem::path running_dir)
      : fault_args_(std::move(fault_args)), running_dir_(std::move(running_dir)) {}

  // `instance`: the members of a group of embedded instances each get a server process of their own.
  Server server(const std::string& profile, std::size_t instance = 0) {
    refserver::parse_profile(profile);  // a bad profile is an InputError here, not a server that fails to start
    if (!running_dir_.empty()) return running(instance == 0 ? profile : profile + "-" + std::to_string(instance));
    auto& server = servers_[profile + "#" + std::to_string(instance)];
    if (!server) {
      server = start(profile);
      std::cerr << "voxperf_bench: started the reference server at " << server->address() << " (profile "
                << profile << (instance > 0 ? ", instance " + std::to_string(instance) : std::string()) << ")\n";
    }
    return describe(*server);
  }

  // Whether server() starts the servers (and so restart() can replace them).
  bool owns_servers() const { return running_dir_.empty(); }

  // Stops the profile's server and starts another with the same arguments (A/B: a fresh process per
  // repetition pair). Every target that shares the profile's server must reopen its connections.
  Server restart(const std::string& profile) {
    auto& server = servers_[profile + "#0"];
    server.reset();  // the old process exits first, so that the two never share the cores
    server = start(profile);
    return describe(*server);
  }

 private:
  std::unique_ptr<ServerProcess> start(const std::string& profile) const {
    std::vector<std::string> args{"--profile", profile, "--exit-with-parent"};
    args.insert(args.end(), fault_args_.begin(), fault_args_.end());
    return std::make_unique<ServerProcess>(VOXPERF_REFSERVER_BIN, args);
  }

  static Server describe(ServerProcess& process) {
    return {process.address(), process.http_address(), [p = &process] { return p->cpu_seconds(); }};
  }

  Server running(const std::string& profile) const {
    const auto port_file = running_dir_ / (profile + ".port"), pid_file = running_dir_ / (profile + ".pid");
    std::ifstream port_in(port_file), pid_in(pid_file);
    int port = 0, http_port = 0;
    pid_t pid = 0;
    if (!(port_in >> port >> http_port) || !(pid_in >> pid)) {
      throw InputError("--embedded-servers " + running_dir_.string() + ": no running server for profile " + profile +
                       " (" + port_file.string() + "); start it with tools/refserver-fixture start");
    }
    return {"127.0.0.1:" + std::to_string(port), "127.0.0.1:" + std::to_string(http_port),
            [pid] { return process_cpu_seconds(pid); }};
  }

  std::vector<std::string> fault_args_;
  std::filesystem::path running_dir_;
  std::map<std::string, std::unique_ptr<ServerProcess>> servers_;
};

// The embedded server's address the target's pipeline speaks to.
std::string address_of(const Target& target, const EmbeddedServers::Server& server) {
  return target.pipeline->wire() == Wire::kHttp ? server.http_address : server.address;
}

std::string pairing_key(const Target& t) { return t.kind + "/" + t.model + "/" + t.profile; }

// "first-delay-ms=25" -> {"--fault-first-delay-ms", "25"}. The server checks names and values and exits 2 on a
// bad one; ServerProcess then reports its message.
std::vector<std::string> fault_args(const std::vector<std::string>& specs) {
  std::vector<std::string> args;
  for (const auto& spec : specs) {
    const auto equals = spec.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == spec.size()) {
      throw InputError("--inject-fault '" + spec + "': expected NAME=VALUE, e.g. first-delay-ms=25 or stall=0.1");
    }
    args.push_back("--fault-" + spec.substr(0, equals));
    args.push_back(spec.substr(equals + 1));
  }
  return args;
}

// report.md (the tables, each with its plot), results.csv, and one SVG plot per table, in `dir`.
void write_reports(const std::filesystem::path& dir, const ResultTable& table) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream out(dir / name);
    out << text;
    if (!out) throw InputError("--report-dir " + dir.string() + ": can not write " + name);
  };
  std::string plots;
  for (const auto& [group, rows] : table.groups()) {
    std::string file = group + ".svg";
    std::replace(file.begin(), file.end(), '/', '_');
    write(file, latency_plot_svg(group, rows));
    plots += "![" + group + "](" + file + ")\n\n";
  }
  write("report.md", "# voxperf results\n\n" + table.markdown() + "## Latency against concurrency\n\n" + plots);
  write("results.csv", table.csv());
  std::cerr << "voxperf_bench: wrote report.md, results.csv and " << table.groups().size() << " plots to "
            << dir.string() << "\n";
}

int run(int argc, char** argv) {
  // Before Google Benchmark sees the flags: it would match the filter against decorated names.
  const CaseSelection selection = CaseSelection::from_command_line(argc, argv);
  const CaseReporters reporters = case_reporters(argc, argv);
  const std::size_t repetitions = repetitions_from_command_line(argc, argv);
  benchmark::Initialize(&argc, argv);  // takes the other --benchmark_* flags out of argv
  std::vector<std::string> targets_files = {VOXPERF_SOURCE_DIR "/targets/refserver.json",
                                            VOXPERF_SOURCE_DIR "/targets/triton-streaming.json",
                                            VOXPERF_SOURCE_DIR "/targets/llm.json",
                                            VOXPERF_SOURCE_DIR "/targets/http-speech.json"};
  CLI::App app{"voxperf_bench: speech-server benchmark cases (Google Benchmark flags are accepted too)"};
  app.add_option("--targets", targets_files,
                 "targets files (JSON), one or more; default: the embedded reference server's Riva, Triton and LLM targets")
      ->capture_default_str();
  std::string report_dir;
  app.add_option("--report-dir", report_dir, "also write report.md, results.csv and SVG plots here");
  std::string records_dir;
  app.add_option("--records-dir", records_dir,
                 "also write every measured request, one JSON line each, to DIR/<case>.jsonl (monotonic-clock ns)");
  std::vector<std::string> faults;
  app.add_option("--inject-fault", faults,
                 "NAME=VALUE: run the embedded reference servers with --fault-NAME VALUE (first-delay-ms, "
                 "chunk-delay-ms, error, error-code, stall, drop), to show that a known regression is caught; "
                 "with --ab-baseline, the candidate's only");
  std::string ab_baseline_file, running_servers;
  app.add_option("--ab-baseline", ab_baseline_file,
                 "interleaved A/B: a targets file of the baseline deployments, paired with --targets by kind, model "
                 "and profile; each repetition measures both (voxperf-compare --ab)");
  app.add_option("--embedded-servers", running_servers,
                 "use the reference servers running in DIR (tools/refserver-fixture) instead of starting them");
  bool list_profiles = false;
  app.add_flag("--list-embedded-profiles", list_profiles, "print the profiles of the embedded targets and exit");
  CLI11_PARSE(app, argc, argv);

  const auto targets = load_target_files(targets_files);
  std::optional<RecordExport> record_export;
  if (!records_dir.empty()) RecordExport::activate(&record_export.emplace(records_dir));
  std::optional<SampleExport> sample_export;  // what the A/B gate pools (perf_tests/sample_export.h)
  if (!ab_baseline_file.empty() && !reporters.file_path.empty()) {
    SampleExport::activate(&sample_export.emplace(samples_path_for(reporters.file_path)));
  }
  std::string targets_file;  // as messages and the results' context name them
  for (const auto& file : targets_files) targets_file += (targets_file.empty() ? "" : ", ") + file;
  if (list_profiles) {
    std::set<std::string> profiles;
    for (const auto& t : targets) {
      if (t.embedded()) profiles.insert(t.profile);
    }
    for (const auto& profile : profiles) std::cout << profile << "\n";
    return 0;
  }
  if (!faults.empty() && std::none_of(targets.begin(), targets.end(), [](const Target& t) { return t.embedded(); })) {
    throw InputError("--inject-fault: " + targets_file + " has no embedded target to inject faults into");
  }
  if (!faults.empty() && !running_servers.empty()) {
    throw InputError("--inject-fault needs servers of its own: leave out --embedded-servers");
  }
  EmbeddedServers embedded(fault_args(faults), running_servers);
  EmbeddedServers baseline_embedded({}, "");  // A/B: the baseline side's own servers, never faulted
  std::map<std::string, Target> baseline_targets;
  if (!ab_baseline_file.empty()) {
    for (const auto& t : load_targets(ab_baseline_file)) baseline_targets[pairing_key(t)] = t;
  }
  ThreadTimerQueue timers;
  ResultTable table;
  SweepProgress progress(std::cerr, isatty(STDERR_FILENO) != 0);
  std::vector<std::unique_ptr<TargetRun>> runs, baseline_runs;
  std::vector<std::string> cases;
  auto connect = [](TargetRun& run, const EmbeddedServers::Server& server) {
    run.opened.reset();  // its connections go to the old server, if any
    run.address = address_of(run.target, server);
    run.opened = run.target.pipeline->open(run.target, run.address);
    run.server_cpu_seconds = server.cpu_seconds;
  };
  auto prepare_one = [](const Target& target, EmbeddedServers& servers, std::size_t instance) {
    const std::string& endpoint = target.endpoints.at(instance);
    if (endpoint != "embedded") return prepare_target(target, endpoint);
    const auto server = servers.server(target.profile, instance);
    auto run = prepare_target(target, address_of(target, server));
    run->server_cpu_seconds = server.cpu_seconds;
    return run;
  };
  auto prepare = [&](const Target& target, EmbeddedServers& servers) {
    auto run = prepare_one(target, servers, 0);
    if (target.endpoints.size() > 1) {
      for (std::size_t i = 0; i < target.endpoints.size(); ++i) run->instances.push_back(prepare_one(target, servers, i));
    } else if (!ab_baseline_file.empty() && target.embedded() && servers.owns_servers()) {
      run->redeploy = [&servers, connect](TargetRun& side) { connect(side, servers.restart(side.target.profile)); };
    }
    return run;
  };
  for (const auto& target : targets) {
    runs.push_back(prepare(target, embedded));
    if (!ab_baseline_file.empty()) {
      const auto pair = baseline_targets.find(pairing_key(target));
      if (pair == baseline_targets.end()) {
        throw InputError("--ab-baseline " + ab_baseline_file + ": no target of kind, model and profile " +
                         pairing_key(target) + " to pair with " + targets_file);
      }
      baseline_runs.push_back(prepare(pair->second, baseline_embedded));
      runs.back()->ab_baseline = baseline_runs.back().get();
    }
    for (auto& name : register_target_cases(*runs.back(), timers, table, SystemClock::instance(), selection,
                                             &progress)) {
      cases.push_back(std::move(name));
    }
  }
  progress.set_total(cases.size() * repetitions);
  if (selection.list_only()) {
    for (const auto& name : cases) std::cout << name << "\n";
    return 0;
  }
  if (cases.empty()) {
    throw InputError("--benchmark_filter '" + selection.filter() + "' matches none of the cases of " + targets_file +
                     " (--benchmark_list_tests lists them)");
  }
  add_run_context(targets_file, runs, faults);

  benchmark::RunSpecifiedBenchmarks(reporters.display.get(), reporters.file.get());
  benchmark::Shutdown();
  std::cout << "\n" << table.markdown();
  if (!report_dir.empty()) write_reports(report_dir, table);
  const std::size_t failed = table.cases_with_errors();
  if (failed > 0) {
    std::cerr << "voxperf_bench: " << failed << " case(s) had errors (see the Errors column)\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace voxperf::bench

int main(int argc, char** argv) {
  voxperf::disable_lock_order_checks();
  return voxperf::bench::run_reporting_errors("voxperf_bench", [&] { return voxperf::bench::run(argc, argv); });
}
