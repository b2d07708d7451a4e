// The counters a case reports and the Markdown tables the suite prints, in the shape of the NIM speech
// benchmark report (../shared/seeds/000_*): one table per pipeline/model/profile/mode, one row per concurrency.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

#include "harness/window_metrics.h"
#include "perf_tests/case_name.h"

namespace voxperf::bench {

// "0", or "3 (DEADLINE_EXCEEDED 1, UNAVAILABLE 2)": the Errors cell, and a failed case's label.
std::string errors_cell(const WindowMetrics& metrics);

// Sets the case's Google Benchmark counters (plain values, milliseconds for times) from one window, each
// name prefixed with `prefix` (the baseline side of an A/B case).
void set_counters(benchmark::State& state, const WindowMetrics& metrics, const std::string& prefix = "");

class ResultTable {
 public:
  struct Row {
    CaseName name;
    WindowMetrics metrics;
  };
  using Groups = std::map<std::string, std::vector<Row>>;  // by CaseName::group(), rows in the order run

  void add(const CaseName& name, const WindowMetrics& metrics);
  std::string markdown() const;
  // One line per case, every counter in its own column; times in ms, WER as a fraction, empty when n/a.
  std::string csv() const;
  std::size_t cases_with_errors() const;
  const Groups& groups() const { return groups_; }

 private:
  Groups groups_;
};

}  // namespace voxperf::bench
