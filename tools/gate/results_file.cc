#include "tools/gate/results_file.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "harness/input_error.h"

namespace voxperf::gate {
namespace {

using json = nlohmann::json;

// Google Benchmark 1.7.1 writes NaN and infinite counters as bare NaN / Infinity, which is not JSON: read
// them as null (a missing value) outside strings.
std::string without_bare_non_numbers(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    std::size_t matched = 0;
    for (const char* token : {"-Infinity", "Infinity", "NaN"}) {
      const std::size_t length = std::char_traits<char>::length(token);
      if (text.compare(i, length, token) == 0) {
        matched = length;
        break;
      }
    }
    if (matched > 0) {
      out += "null";
      i += matched - 1;
    } else {
      out += c;
    }
  }
  return out;
}

// Fields of a Google Benchmark run that are not counters.
const std::set<std::string>& standard_fields() {
  static const std::set<std::string> fields{
      "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
      "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "label",
      "error_occurred", "error_message", "aggregate_name", "aggregate_unit", "big_o", "rms"};
  return fields;
}

// JSON values are written again with sorted keys: a server's config answer lists its parameters (a protobuf
// map) in no fixed order. Data files count by name: checkouts live in different folders.
std::string fingerprint_value(const std::string& key, const std::string& value) {
  auto parsed = json::parse(value, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return value;
  if (key.rfind("target ", 0) == 0) {
    for (const char* file_field : {"data", "corpus", "prompts"}) {
      if (parsed.contains(file_field) && parsed[file_field].is_string()) {
        parsed[file_field] = std::filesystem::path(parsed[file_field].get<std::string>()).filename().string();
      }
    }
  }
  return parsed.dump();
}

}  // namespace

std::string case_name_of(const std::string& run_name) {
  static const char* const suffixes[] = {"/iterations:", "/repeats:", "/threads:", "/manual_time", "/real_time",
                                         "/min_time:", "/min_warmup_time:", "/process_time"};
  std::string name = run_name;
  for (bool changed = true; changed;) {
    changed = false;
    for (const char* suffix : suffixes) {
      const auto at = name.rfind(suffix);
      if (at != std::string::npos && name.find('/', at + 1) == std::string::npos) {
        name.erase(at);
        changed = true;
      }
    }
  }
  return name;
}

Results read_results(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": can not read the results file");
  std::stringstream text;
  text << in.rdbuf();
  json doc;
  try {
    doc = json::parse(without_bare_non_numbers(text.str()));
  } catch (const json::parse_error& e) {
    throw InputError(path.string() + ": not a JSON results file: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array()) {
    throw InputError(path.string() + ": no \"benchmarks\" array; expected voxperf_bench --benchmark_out output");
  }
  Results results;
  results.path = path;
  results.fingerprint["gpu"] = "none";
  if (doc.contains("context") && doc["context"].is_object()) {
    for (const auto& [key, value] : doc["context"].items()) {
      if (!value.is_string()) continue;
      const auto text_value = value.get<std::string>();
      if (key == "voxperf_version" || key == "gpu" || key.rfind("target ", 0) == 0 ||
          key.rfind("server_config ", 0) == 0) {
        results.fingerprint[key] = fingerprint_value(key, text_value);
      } else if (key == "injected_faults") {
        results.injected_faults = text_value;
      }
    }
  }
  std::size_t index = 0;
  for (const auto& run : doc["benchmarks"]) {
    const std::string where = path.string() + ": benchmarks[" + std::to_string(index++) + "]";
    if (!run.is_object() || !run.contains("name") || !run["name"].is_string()) {
      throw InputError(where + ": a run without a name");
    }
    if (run.value("run_type", "iteration") == "aggregate") continue;
    auto& result = results.cases[case_name_of(run.value("run_name", run["name"].get<std::string>()))];
    ++result.repetitions;
    if (run.value("error_occurred", false)) result.skipped.push_back(run.value("error_message", "skipped"));
    if (run.contains("label") && run["label"].is_string() && !run["label"].get<std::string>().empty()) {
      result.labels.push_back(run["label"].get<std::string>());
    }
    for (const auto& [key, value] : run.items()) {
      if (standard_fields().count(key)) continue;
      if (value.is_number()) {
        result.counters[key].push_back(value.get<double>());
      } else if (value.is_null()) {
        result.counters[key].push_back(std::nan(""));
      }
    }
  }
  return results;
}

}  // namespace voxperf::gate

namespace voxperf::gate {

void read_samples(Results& results, const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw InputError(path.string() + ": no per-request samples file; an A/B comparison needs the one that "
                     "voxperf_bench --ab-baseline writes beside its --benchmark_out");
  }
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    const std::string where = path.string() + " line " + std::to_string(line);
    if (text.empty()) continue;
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(where + ": not JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("case") || !doc["case"].is_string() || !doc.contains("side") ||
        !doc["side"].is_string() || !doc.contains("samples") || !doc["samples"].is_object()) {
      throw InputError(where + ": expected {\"case\": NAME, \"side\": \"\" or \"baseline.\", \"samples\": {...}}");
    }
    const auto found = results.cases.find(doc["case"].get<std::string>());
    if (found == results.cases.end()) {
      throw InputError(where + ": case " + doc["case"].get<std::string>() + " is not in " + results.path.string());
    }
    const std::string side = doc["side"];
    for (const auto& [family, values] : doc["samples"].items()) {
      if (!values.is_array()) throw InputError(where + ": samples." + family + ": must be an array of ms");
      std::vector<double> ms;
      ms.reserve(values.size());
      for (const auto& v : values) {
        if (!v.is_number() || !std::isfinite(v.get<double>())) {
          throw InputError(where + ": samples." + family + ": must hold numbers (ms) only");
        }
        ms.push_back(v.get<double>());
      }
      found->second.samples[side + family].push_back(std::move(ms));
    }
  }
}

void append_results(Results& into, const Results& more) {
  if (into.fingerprint != more.fingerprint) {
    throw InputError(more.path.string() + ": measured with other targets, servers or build than " +
                     into.path.string() + " (fingerprints differ): its repetitions can not be pooled");
  }
  if (into.injected_faults != more.injected_faults) {
    throw InputError(more.path.string() + ": measured with other injected faults than " + into.path.string());
  }
  for (const auto& [name, result] : more.cases) {
    auto& target = into.cases[name];
    for (const auto& [counter, values] : result.counters) {
      auto& to = target.counters[counter];
      to.insert(to.end(), values.begin(), values.end());
    }
    for (const auto& [family, repetitions] : result.samples) {
      auto& to = target.samples[family];
      to.insert(to.end(), repetitions.begin(), repetitions.end());
    }
    target.labels.insert(target.labels.end(), result.labels.begin(), result.labels.end());
    target.skipped.insert(target.skipped.end(), result.skipped.begin(), result.skipped.end());
    target.repetitions += result.repetitions;
  }
}

}  // namespace voxperf::gate
