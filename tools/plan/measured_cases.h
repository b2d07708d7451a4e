// The measured cases the planner may cite: every case of one or more voxperf_bench results files (one
// server, a group's aggregate, MIG slices, or a hand-made file of a report's own figures), by name. A case's
// counter is the median of its repetitions. A figure no file has is an InputError that names the case, the
// counter and the files (voxperf-plan exits 2).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tools/gate/results_file.h"

namespace voxperf::plan {

class MeasuredCases {
 public:
  // Throws InputError for a file that can not be read, or a case that two files both have.
  explicit MeasuredCases(const std::vector<std::filesystem::path>& files);

  bool has(const std::string& case_name) const { return cases_.count(case_name) > 0; }
  // The median over repetitions; InputError when the case or its counter is missing.
  double value(const std::string& case_name, const std::string& counter) const;
  std::optional<double> find(const std::string& case_name, const std::string& counter) const;
  std::string label(const std::string& case_name) const;  // its first label, "" when none
  std::string file_of(const std::string& case_name) const;

  // The closed-loop sweep rows "<prefix>/c:N" (single instance), by N.
  std::map<std::size_t, std::string> levels(const std::string& prefix) const;
  // "a.json, b.json": for messages.
  std::string files_text() const;

 private:
  struct Entry {
    gate::CaseResults results;
    std::string file;
  };
  std::map<std::string, Entry> cases_;
  std::vector<std::string> files_;
};

}  // namespace voxperf::plan
