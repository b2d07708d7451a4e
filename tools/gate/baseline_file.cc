#include "tools/gate/baseline_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "harness/input_error.h"
#include "tools/gate/json_file.h"

namespace voxperf::gate {
namespace {

using json = nlohmann::json;

std::string quoted(const std::string& text) { return json(text).dump(); }

std::string number_text(double value) {
  if (std::isnan(value)) return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

const json& field(const json& object, const char* key, json::value_t type, const std::string& where) {
  if (!object.contains(key) || object[key].type() != type) {
    throw InputError(where + key + ": missing or of the wrong type");
  }
  return object[key];
}

}  // namespace

Baseline read_baseline(const std::filesystem::path& path) {
  const json doc = read_json_file(path, "baseline");
  const std::string file = path.string() + ": ";
  if (!doc.is_object()) throw InputError(file + "not a baseline object");
  if (doc.value("format", "") != "voxperf-baseline/1") {
    throw InputError(file + "format: expected \"voxperf-baseline/1\"");
  }
  Baseline baseline;
  baseline.suite = field(doc, "suite", json::value_t::string, file).get<std::string>();
  baseline.target_set = field(doc, "target_set", json::value_t::string, file).get<std::string>();
  baseline.filter = field(doc, "filter", json::value_t::string, file).get<std::string>();
  try {
    std::regex check(baseline.filter);
  } catch (const std::regex_error& e) {
    throw InputError(file + "filter: not a regular expression: " + e.what());
  }
  for (const auto& [key, value] : field(doc, "fingerprint", json::value_t::object, file).items()) {
    if (!value.is_string()) throw InputError(file + "fingerprint." + key + ": must be a string");
    baseline.fingerprint[key] = value.get<std::string>();
  }
  for (const auto& line : field(doc, "accepted", json::value_t::array, file)) {
    if (line.is_string()) baseline.accepted.push_back(line.get<std::string>());
  }
  for (const auto& [name, counters] : field(doc, "cases", json::value_t::object, file).items()) {
    for (const auto& [counter, runs] : counters.items()) {
      const std::string where = file + "cases." + name + "." + counter;
      if (!runs.is_array()) throw InputError(where + ": must be an array of runs");
      auto& history = baseline.cases[name][counter];
      for (const auto& run : runs) {
        if (!run.is_array() || run.empty()) throw InputError(where + ": each run must be a non-empty array");
        auto& values = history.emplace_back();
        for (const auto& value : run) {
          if (!value.is_number() && !value.is_null()) throw InputError(where + ": values must be numbers");
          values.push_back(value.is_null() ? std::nan("") : value.get<double>());
        }
      }
    }
  }
  return baseline;
}

std::string baseline_text(const Baseline& b) {
  std::ostringstream out;
  out << "{\n  \"format\": \"voxperf-baseline/1\",\n"
      << "  \"suite\": " << quoted(b.suite) << ",\n  \"target_set\": " << quoted(b.target_set) << ",\n"
      << "  \"filter\": " << quoted(b.filter) << ",\n  \"fingerprint\": {";
  const char* separator = "\n";
  for (const auto& [key, value] : b.fingerprint) {
    out << separator << "    " << quoted(key) << ": " << quoted(value);
    separator = ",\n";
  }
  out << "\n  },\n  \"accepted\": [";
  separator = "\n";
  for (const auto& line : b.accepted) {
    out << separator << "    " << quoted(line);
    separator = ",\n";
  }
  out << "\n  ],\n  \"cases\": {";
  const char* case_separator = "\n";
  for (const auto& [name, counters] : b.cases) {
    out << case_separator << "    " << quoted(name) << ": {";
    const char* counter_separator = "\n";
    for (const auto& [counter, runs] : counters) {
      out << counter_separator << "      " << quoted(counter) << ": [";
      const char* run_separator = "\n";
      for (const auto& run : runs) {
        out << run_separator << "        [";
        for (std::size_t i = 0; i < run.size(); ++i) out << (i ? ", " : "") << number_text(run[i]);
        out << "]";
        run_separator = ",\n";
      }
      out << "\n      ]";
      counter_separator = ",\n";
    }
    out << "\n    }";
    case_separator = ",\n";
  }
  out << "\n  }\n}\n";
  return out.str();
}

void write_baseline(const std::filesystem::path& path, const Baseline& baseline) {
  const std::string text = baseline_text(baseline);
  std::error_code error;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), error);
  const std::filesystem::path temporary = path.string() + ".tmp." + std::to_string(getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw InputError(path.string() + ": can not write the baseline (" + temporary.string() + ")");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(temporary, error);
    throw InputError(path.string() + ": can not write the baseline");
  }
}

}  // namespace voxperf::gate
