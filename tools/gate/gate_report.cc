#include "tools/gate/gate_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace voxperf::gate {
namespace {

std::string fixed(double value, const char* format) {
  if (!std::isfinite(value)) return "n/a";
  char text[48];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

bool is_validity_row(const Row& row) { return !row.counter.empty() && row.counter.front() == '('; }

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string regex_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string bounds_cell(const Row& row) {
  const std::string pairs = " (" + std::to_string(row.pairs) + ")";
  if (!row.lower || !row.upper) return "n/a" + pairs;
  return "[" + fixed(100.0 * *row.lower, "%+.1f%%") + ", " + fixed(100.0 * *row.upper, "%+.1f%%") + "]" + pairs;
}

}  // namespace

std::string comparison_table(const Comparison& c) {
  std::ostringstream out;
  for (const auto& note : c.notes) out << "note: " << note << "\n";
  const bool ab = c.mode == "ab";  // A/B: the change's confidence bounds and pairs where stored mode has p
  out << (ab ? "| Case | Counter | Baseline | Now | Change | Tolerance | Bounds (pairs) | Verdict |\n"
             : "| Case | Counter | Baseline | Now | Change | Tolerance | p | Verdict |\n")
      << "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n";
  for (const auto& row : c.rows) {
    out << "| " << row.case_name << " | " << row.counter << " | ";
    if (is_validity_row(row)) {
      out << " |  |  |  |  | ";
    } else {
      out << fixed(row.baseline, "%.4g") << " | " << fixed(row.now, "%.4g") << " | "
          << fixed(100.0 * row.change, "%+.1f%%") << " | " << fixed(100.0 * row.tolerance, "%.1f%%") << " | "
          << (ab ? bounds_cell(row) : row.p ? fixed(*row.p, "%.3g") : "") << " | ";
    }
    out << verdict_name(row.verdict) << (row.note.empty() ? "" : " (" + row.note + ")") << " |\n";
  }
  if (!c.more.empty()) {
    out << c.more.size() << " undecided below the cap, to measure again:";
    for (const auto& name : c.more) out << " " << name;
    out << "\n";
  }
  out << c.cases_passed() << " passed, " << c.cases_failed() << " failed\n";
  return out.str();
}

std::string comparison_junit(const Comparison& c) {
  std::map<std::string, std::vector<const Row*>> by_case;
  for (const auto& row : c.rows) by_case[row.case_name].push_back(&row);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"voxperf-compare "
      << c.mode << "\" tests=\"" << by_case.size() << "\" failures=\"" << c.cases_failed() << "\">\n";
  for (const auto& [name, rows] : by_case) {
    out << "  <testcase classname=\"voxperf\" name=\"" << xml_escaped(name) << "\">\n";
    for (const Row* row : rows) {
      if (!c.fails(*row)) continue;
      out << "    <failure type=\"" << verdict_name(row->verdict) << "\" message=\""
          << xml_escaped(row->counter + ": " + verdict_name(row->verdict) +
                         (is_validity_row(*row) ? "" : " " + fixed(100.0 * row->change, "%+.1f%%")) +
                         (row->note.empty() ? "" : " (" + row->note + ")"))
          << "\"/>\n";
    }
    out << "  </testcase>\n";
  }
  out << "</testsuite>\n</testsuites>\n";
  return out.str();
}

std::string comparison_json(const Comparison& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : c.rows) {
    nlohmann::json r = {{"case", row.case_name}, {"counter", row.counter}, {"verdict", verdict_name(row.verdict)}};
    if (!is_validity_row(row)) {
      r["baseline"] = row.baseline;
      r["now"] = row.now;
      r["change"] = row.change;
      r["tolerance"] = row.tolerance;
      if (row.p) r["p"] = *row.p;
      if (row.lower) r["change_lower"] = *row.lower;
      if (row.upper) r["change_upper"] = *row.upper;
      if (row.pairs) r["pairs"] = row.pairs;
    }
    if (!row.note.empty()) r["note"] = row.note;
    rows.push_back(std::move(r));
  }
  return nlohmann::json{{"mode", c.mode},
                        {"passed", c.cases_passed()},
                        {"failed", c.cases_failed()},
                        {"notes", c.notes},
                        {"more", c.more},
                        {"rows", rows}}
             .dump(2) + "\n";
}

std::string cases_filter(const std::vector<std::string>& names) {
  std::string filter;
  for (const auto& name : names) filter += (filter.empty() ? "^(" : "|") + regex_escaped(name);
  return filter.empty() ? "" : filter + ")(/|$)";
}

std::string rerun_filter(const Comparison& c) { return cases_filter(c.regressed_cases()); }

}  // namespace voxperf::gate
