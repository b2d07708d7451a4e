#include "tools/gate/baseline_update.h"

#include <cmath>
#include <cstdio>
#include <regex>

#include "harness/input_error.h"
#include "tools/gate/robust_stats.h"

namespace voxperf::gate {
namespace {

double run_reference(const RunHistory& history) {
  std::vector<double> medians;
  for (const auto& run : history) {
    std::vector<double> values;
    for (double v : run) {
      if (std::isfinite(v)) values.push_back(v);
    }
    if (!values.empty()) medians.push_back(median(values));
  }
  return median(medians);
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.4g", value);
  return text;
}

}  // namespace

Baseline accept_run(const std::optional<Baseline>& existing, const SuiteSpec& spec, const Results& results,
                    const GatePolicy& policy, const UpdateOptions& options, std::vector<std::string>& summary) {
  Baseline baseline;
  if (existing) {
    baseline = *existing;
  } else {
    baseline.suite = spec.suite;
    baseline.target_set = spec.target_set;
    baseline.filter = spec.filter;
  }
  std::regex filter;
  try {
    filter = std::regex(baseline.filter);
  } catch (const std::regex_error& e) {
    throw InputError("--filter '" + baseline.filter + "': not a regular expression: " + e.what());
  }

  std::vector<std::string> refusals;
  std::map<std::string, const CaseResults*> suite_cases;
  for (const auto& [name, result] : results.cases) {
    if (!std::regex_search(name, filter)) continue;
    suite_cases[name] = &result;
    for (const auto& message : result.skipped) refusals.push_back(name + ": skipped: " + message);
    for (const char* counter : {"errors", "unsent"}) {
      const auto it = result.counters.find(counter);
      if (it == result.counters.end()) continue;
      for (double v : it->second) {
        if (v > 0) {
          refusals.push_back(name + ": " + counter + " in a repetition" +
                             (result.labels.empty() ? "" : " (" + result.labels.front() + ")"));
          break;
        }
      }
    }
  }
  if (suite_cases.empty()) refusals.push_back("no case matches the suite's filter '" + baseline.filter + "'");
  for (const auto& [name, stored] : baseline.cases) {
    if (!suite_cases.count(name)) refusals.push_back(name + ": in the baseline, missing from the results");
  }

  // The fingerprint of the suite: the results' entries for its targets, plus version and GPU.
  Fingerprint fingerprint;
  for (const auto& [key, value] : results.fingerprint) {
    const auto space = key.find(' ');
    const std::string target = space == std::string::npos ? "" : key.substr(space + 1);
    bool used = space == std::string::npos;  // voxperf_version, gpu
    for (const auto& [name, result] : suite_cases) used = used || name.rfind(target + "/", 0) == 0;
    if (used) fingerprint[key] = value;
  }
  bool restart = false;
  if (existing && fingerprint != baseline.fingerprint) {
    if (!options.new_fingerprint) {
      for (const auto& [key, value] : baseline.fingerprint) {
        const auto it = fingerprint.find(key);
        if (it == fingerprint.end() || it->second != value) {
          refusals.push_back("fingerprint " + key + " differs (accept with --new-fingerprint to start the history again)");
        }
      }
    } else {
      restart = true;
      summary.push_back("fingerprint changed: the history starts again");
    }
  }
  if (!refusals.empty()) {
    std::string message = results.path.string() + ": not accepted into the baseline:";
    for (const auto& reason : refusals) message += "\n  " + reason;
    throw InputError(message);
  }

  if (restart) {
    baseline.cases.clear();
    baseline.accepted.clear();
  }
  baseline.fingerprint = fingerprint;
  std::size_t repetitions = 0;
  for (const auto& [name, result] : suite_cases) {
    repetitions = std::max(repetitions, result->repetitions);
    auto& stored = baseline.cases[name];
    if (stored.empty()) summary.push_back(name + ": new case");
    for (const auto& [counter, values] : result->counters) {
      if (!policy.counters.count(counter) && counter != "errors") continue;
      auto& history = stored[counter];
      const double before = run_reference(history);
      history.push_back(values);
      while (history.size() > policy.history_limit) history.erase(history.begin());
      const double after = run_reference(history);
      if (!std::isnan(before) && before != after) {
        const double change = before != 0.0 ? 100.0 * (after - before) / std::abs(before) : 0.0;
        summary.push_back(name + " " + counter + ": " + number(before) + " -> " + number(after) + " (" +
                          (change >= 0 ? "+" : "") + number(change) + "%)");
      }
    }
  }
  baseline.accepted.push_back(options.accepted_at + " " + results.path.filename().string() + " (" +
                              std::to_string(repetitions) + " repetitions)");
  while (baseline.accepted.size() > policy.history_limit) baseline.accepted.erase(baseline.accepted.begin());
  return baseline;
}

}  // namespace voxperf::gate
