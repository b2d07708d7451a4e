#include "tools/plan/measured_cases.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "harness/input_error.h"

namespace voxperf::plan {

MeasuredCases::MeasuredCases(const std::vector<std::filesystem::path>& files) {
  if (files.empty()) throw InputError("no results files: give the scenario's \"results\" or --results FILE");
  for (const auto& file : files) {
    files_.push_back(file.string());
    auto results = gate::read_results(file);
    for (auto& [name, entry] : results.cases) {
      const auto [it, added] = cases_.emplace(name, Entry{std::move(entry), file.string()});
      if (!added) {
        throw InputError(file.string() + ": case " + name + " is in " + it->second.file +
                         " too; give each case in one results file only");
      }
    }
  }
}

std::optional<double> MeasuredCases::find(const std::string& case_name, const std::string& counter) const {
  const auto it = cases_.find(case_name);
  if (it == cases_.end()) return std::nullopt;
  const auto values = it->second.results.counters.find(counter);
  if (values == it->second.results.counters.end()) return std::nullopt;
  std::vector<double> measured;
  for (double v : values->second) {
    if (!std::isnan(v)) measured.push_back(v);
  }
  if (measured.empty()) return std::nullopt;
  std::sort(measured.begin(), measured.end());
  const std::size_t n = measured.size();
  return n % 2 == 1 ? measured[n / 2] : (measured[n / 2 - 1] + measured[n / 2]) / 2.0;
}

double MeasuredCases::value(const std::string& case_name, const std::string& counter) const {
  if (!has(case_name)) throw InputError("no results file has case " + case_name + " (" + files_text() + ")");
  const auto v = find(case_name, counter);
  if (!v) {
    throw InputError("case " + case_name + " in " + file_of(case_name) + " has no counter " + counter +
                     ", which the scenario needs");
  }
  return *v;
}

std::string MeasuredCases::label(const std::string& case_name) const {
  const auto it = cases_.find(case_name);
  if (it == cases_.end() || it->second.results.labels.empty()) return "";
  return it->second.results.labels.front();
}

std::string MeasuredCases::file_of(const std::string& case_name) const {
  const auto it = cases_.find(case_name);
  return it == cases_.end() ? "" : it->second.file;
}

std::map<std::size_t, std::string> MeasuredCases::levels(const std::string& prefix) const {
  std::map<std::size_t, std::string> out;
  const std::string head = prefix + "/c:";
  for (const auto& [name, entry] : cases_) {
    if (name.compare(0, head.size(), head) != 0) continue;
    const std::string rest = name.substr(head.size());
    if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      continue;  // ".../c:16/aggregate", ".../c:16/instance:0": not a single instance's row
    }
    out[std::stoul(rest)] = name;
  }
  return out;
}

std::string MeasuredCases::files_text() const {
  std::string out;
  for (const auto& f : files_) out += (out.empty() ? "" : ", ") + f;
  return out;
}

}  // namespace voxperf::plan
