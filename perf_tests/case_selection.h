// Which cases a run measures, and what Google Benchmark prints them as.
//
// Every case is registered with Iterations(1) and UseManualTime(), so Google Benchmark 1.7.1 names it
// "<case>/iterations:1/manual_time" and matches --benchmark_filter against that: 'c:16$' matched nothing.
// voxperf therefore takes --benchmark_filter (and BENCHMARK_FILTER) and --benchmark_list_tests itself,
// registers only the cases whose own names match (same rules: regex search, a leading '-' negates, empty or
// "all" selects all), and its reporters print and write the cases' own names, which are the baselines' keys.
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace voxperf::bench {

class CaseSelection {
 public:
  // Everything.
  CaseSelection() = default;
  // Takes --benchmark_filter=REGEX and --benchmark_list_tests[=true|false] out of argv (before
  // benchmark::Initialize sees them), or the filter from BENCHMARK_FILTER, which it then unsets. Throws
  // InputError for a regex that does not compile.
  static CaseSelection from_command_line(int& argc, char** argv);
  explicit CaseSelection(const std::string& filter);

  bool selected(const std::string& case_name) const;
  bool list_only() const { return list_only_; }
  const std::string& filter() const { return filter_; }

 private:
  std::string filter_;
  std::optional<std::regex> regex_;  // empty: all
  bool negative_ = false;
  bool list_only_ = false;
};

// --benchmark_repetitions=N from the command line (1 without it), for the progress line's count. Call before
// benchmark::Initialize, which consumes it.
std::size_t repetitions_from_command_line(int argc, char** argv);

// A run's name as the case's own name: without the "/iterations:1" and "/manual_time" parts.
void strip_run_name(benchmark::BenchmarkReporter::Run& run);

// The console reporter (no colours, tabular counters) and, when --benchmark_out is given, the file reporter
// for --benchmark_out_format (json, console or csv), both printing cases' own names. Call before
// benchmark::Initialize, which consumes the flags; `file` is null without --benchmark_out.
struct CaseReporters {
  std::unique_ptr<benchmark::BenchmarkReporter> display;
  std::unique_ptr<benchmark::BenchmarkReporter> file;
  std::string file_path;  // --benchmark_out, "" without one
};
CaseReporters case_reporters(int argc, char** argv);

}  // namespace voxperf::bench
