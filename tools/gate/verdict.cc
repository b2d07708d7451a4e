#include "tools/gate/verdict.h"

#include <algorithm>
#include <map>
#include <set>

namespace voxperf::gate {

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass: return "PASS";
    case Verdict::kImproved: return "IMPROVED";
    case Verdict::kRegressed: return "REGRESSED";
    case Verdict::kInvalid: return "INVALID";
    case Verdict::kMissing: return "MISSING";
    case Verdict::kUndecided: return "UNDECIDED";
  }
  return "?";
}

namespace {
std::map<std::string, bool> case_failures(const Comparison& c) {
  std::map<std::string, bool> failed;
  for (const auto& row : c.rows) failed[row.case_name] = failed[row.case_name] || c.fails(row);
  return failed;
}
}  // namespace

std::size_t Comparison::cases_passed() const {
  std::size_t n = 0;
  for (const auto& [name, failed] : case_failures(*this)) {
    n += !failed && std::find(more.begin(), more.end(), name) == more.end();
  }
  return n;
}

std::size_t Comparison::cases_failed() const {
  std::size_t n = 0;
  for (const auto& [name, failed] : case_failures(*this)) n += failed;
  return n;
}

bool Comparison::only_regressions() const {
  bool any = false;
  for (const auto& row : rows) {
    if (row.verdict == Verdict::kInvalid || row.verdict == Verdict::kMissing) return false;
    any = any || row.verdict == Verdict::kRegressed;
  }
  return any;
}

std::vector<std::string> Comparison::regressed_cases() const {
  std::set<std::string> names;
  for (const auto& row : rows) {
    if (row.verdict == Verdict::kRegressed) names.insert(row.case_name);
  }
  return {names.begin(), names.end()};
}

}  // namespace voxperf::gate
