#include "perf_tests/case_selection.h"

#include <cstdlib>
#include <cstring>

#include "harness/input_error.h"

namespace voxperf::bench {
namespace {

// "--NAME=VALUE" or "--NAME" (then "true"); empty when `arg` is another flag.
std::optional<std::string> flag_value(const char* arg, const std::string& name) {
  const std::string text = arg;
  const std::string prefix = "--" + name;
  if (text == prefix) return std::string("true");
  if (text.rfind(prefix + "=", 0) == 0) return text.substr(prefix.size() + 1);
  return std::nullopt;
}

template <class Base>
class OwnNames final : public Base {
 public:
  using Base::Base;
  void ReportRuns(const std::vector<benchmark::BenchmarkReporter::Run>& runs) override {
    auto renamed = runs;
    for (auto& run : renamed) strip_run_name(run);
    Base::ReportRuns(renamed);
  }
};

}  // namespace

CaseSelection::CaseSelection(const std::string& filter) : filter_(filter) {
  std::string pattern = filter;
  if (!pattern.empty() && pattern.front() == '-') {
    negative_ = true;
    pattern.erase(0, 1);
  }
  if (pattern.empty() || pattern == "all") {
    if (negative_) regex_.emplace(".");  // "-" alone: nothing
    return;
  }
  try {
    regex_.emplace(pattern, std::regex::extended);
  } catch (const std::regex_error& error) {
    throw InputError("--benchmark_filter '" + filter + "': not a regular expression (" + error.what() + ")");
  }
}

CaseSelection CaseSelection::from_command_line(int& argc, char** argv) {
  std::optional<std::string> filter;
  bool list_only = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (auto value = flag_value(argv[i], "benchmark_filter")) {
      filter = *value;
    } else if (auto list = flag_value(argv[i], "benchmark_list_tests")) {
      list_only = *list == "true" || *list == "1";
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  if (!filter) {
    if (const char* env = std::getenv("BENCHMARK_FILTER")) filter = env;
  }
  unsetenv("BENCHMARK_FILTER");  // Google Benchmark would apply it to the decorated names
  CaseSelection selection(filter.value_or(""));
  selection.list_only_ = list_only;
  return selection;
}

bool CaseSelection::selected(const std::string& case_name) const {
  if (!regex_) return true;
  return std::regex_search(case_name, *regex_) != negative_;
}

std::size_t repetitions_from_command_line(int argc, char** argv) {
  std::size_t repetitions = 1;
  for (int i = 1; i < argc; ++i) {
    if (auto value = flag_value(argv[i], "benchmark_repetitions")) {
      try {
        repetitions = std::max<long>(1, std::stol(*value));
      } catch (const std::exception&) {
        // Google Benchmark reports a malformed value itself.
      }
    }
  }
  return repetitions;
}

void strip_run_name(benchmark::BenchmarkReporter::Run& run) {
  run.run_name.iterations.clear();
  run.run_name.time_type.clear();
}

CaseReporters case_reporters(int argc, char** argv) {
  std::string out, format = "json";
  for (int i = 1; i < argc; ++i) {
    if (auto value = flag_value(argv[i], "benchmark_out")) out = *value;
    if (auto value = flag_value(argv[i], "benchmark_out_format")) format = *value;
  }
  CaseReporters reporters;
  reporters.display = std::make_unique<OwnNames<benchmark::ConsoleReporter>>(benchmark::ConsoleReporter::OO_Tabular);
  if (out.empty() || out == "true") return reporters;
  reporters.file_path = out;
  if (format == "json") {
    reporters.file = std::make_unique<OwnNames<benchmark::JSONReporter>>();
  } else if (format == "console") {
    reporters.file = std::make_unique<OwnNames<benchmark::ConsoleReporter>>(benchmark::ConsoleReporter::OO_None);
  } else if (format == "csv") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    reporters.file = std::make_unique<OwnNames<benchmark::CSVReporter>>();
#pragma GCC diagnostic pop
  } else {
    throw InputError("--benchmark_out_format '" + format + "': expected json, console or csv");
  }
  return reporters;
}

}  // namespace voxperf::bench
