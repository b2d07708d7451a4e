#include "tools/gate/verdict.h"

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
  }
  return "?";
}

namespace {
std::map<std::string, bool> case_failures(const std::vector<Row>& rows) {
  std::map<std::string, bool> failed;
  for (const auto& row : rows) failed[row.case_name] = failed[row.case_name] || fails(row.verdict);
  return failed;
}
}  // namespace

std::size_t Comparison::cases_passed() const {
  std::size_t n = 0;
  for (const auto& [name, failed] : case_failures(rows)) n += !failed;
  return n;
}

std::size_t Comparison::cases_failed() const {
  std::size_t n = 0;
  for (const auto& [name, failed] : case_failures(rows)) n += failed;
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
