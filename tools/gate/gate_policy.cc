#include "tools/gate/gate_policy.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "tools/gate/json_file.h"

namespace voxperf::gate {
namespace {

using json = nlohmann::json;

double number(const json& object, const char* key, double fallback, const std::string& where) {
  if (!object.contains(key)) return fallback;
  const auto& value = object[key];
  if (!value.is_number() || value.get<double>() < 0) throw InputError(where + "." + key + ": must be a number >= 0");
  return value.get<double>();
}

}  // namespace

GatePolicy read_policy(const std::filesystem::path& path) {
  const json doc = read_json_file(path, "gate policy");
  const std::string file = path.string() + ": ";
  if (!doc.is_object()) throw InputError(file + "not a policy object");
  for (const auto& [key, value] : doc.items()) {
    static const char* const known[] = {"description", "alpha", "spread_multiplier", "min_history_runs",
                                        "history_limit", "schedule_lag_budget_ms", "ab", "counters"};
    if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
      throw InputError(file + key + ": unknown field");
    }
  }
  if (!doc.is_object() || !doc.contains("counters") || !doc["counters"].is_object()) {
    throw InputError(file + "counters: missing; expected {\"counters\": {\"latency_p99_ms\": {\"better\": \"lower\", ...}}}");
  }
  GatePolicy policy;
  policy.alpha = number(doc, "alpha", policy.alpha, file + "policy");
  if (policy.alpha <= 0 || policy.alpha >= 1) throw InputError(file + "alpha: must be between 0 and 1");
  policy.spread_multiplier = number(doc, "spread_multiplier", policy.spread_multiplier, file + "policy");
  policy.min_history_runs =
      static_cast<std::size_t>(number(doc, "min_history_runs", static_cast<double>(policy.min_history_runs), file + "policy"));
  policy.history_limit =
      static_cast<std::size_t>(number(doc, "history_limit", static_cast<double>(policy.history_limit), file + "policy"));
  if (policy.history_limit == 0) throw InputError(file + "history_limit: must be at least 1");
  policy.schedule_lag_budget_ms = number(doc, "schedule_lag_budget_ms", policy.schedule_lag_budget_ms, file + "policy");
  if (doc.contains("ab")) {
    const auto& ab = doc["ab"];
    const std::string where = file + "ab";
    if (!ab.is_object()) throw InputError(where + ": must be an object");
    for (const auto& [key, value] : ab.items()) {
      if (key == "bootstrap_draws") {
        throw InputError(where + ".bootstrap_draws: the A/B gate no longer bootstraps; its randomization test "
                         "sizes its own draws (at least \"randomization_draws\")");
      }
      if (key != "repetitions_per_look" && key != "max_looks" && key != "randomization_draws" && key != "undecided" &&
          key != "beta") {
        throw InputError(where + "." + key + ": unknown field");
      }
    }
    auto whole = [&](const char* key, std::size_t fallback, std::size_t least) {
      const double value = number(ab, key, static_cast<double>(fallback), where);
      if (value < static_cast<double>(least) || value != std::floor(value)) {
        throw InputError(where + "." + key + ": must be a whole number >= " + std::to_string(least));
      }
      return static_cast<std::size_t>(value);
    };
    policy.ab.repetitions_per_look = whole("repetitions_per_look", policy.ab.repetitions_per_look, 2);
    policy.ab.max_looks = whole("max_looks", policy.ab.max_looks, 1);
    policy.ab.randomization_draws = whole("randomization_draws", policy.ab.randomization_draws, 100);
    policy.ab.beta = number(ab, "beta", policy.ab.beta, where);
    if (policy.ab.beta <= 0 || policy.ab.beta >= 1) throw InputError(where + ".beta: must be between 0 and 1");
    const std::string undecided = ab.value("undecided", "fail");
    if (undecided != "fail" && undecided != "pass") throw InputError(where + ".undecided: must be \"fail\" or \"pass\"");
    policy.ab.undecided_fails = undecided == "fail";
  }
  for (const auto& [name, entry] : doc["counters"].items()) {
    const std::string where = file + "counters." + name;
    if (!entry.is_object()) throw InputError(where + ": must be an object");
    CounterPolicy counter;
    const std::string better = entry.value("better", "");
    if (better == "lower") {
      counter.better = Better::kLower;
    } else if (better == "higher") {
      counter.better = Better::kHigher;
    } else {
      throw InputError(where + ".better: must be \"lower\" or \"higher\"");
    }
    counter.relative = number(entry, "relative", counter.relative, where);
    counter.absolute = number(entry, "absolute", counter.absolute, where);
    counter.stored_relative = number(entry, "stored_relative", counter.relative, where);
    counter.min_requests = static_cast<std::size_t>(number(entry, "min_requests", 0, where));
    counter.detect = number(entry, "detect", 2.0 * counter.relative, where);
    if (counter.detect < counter.relative) throw InputError(where + ".detect: must be at least relative");
    for (const auto& [key, value] : entry.items()) {
      if (key != "better" && key != "relative" && key != "absolute" && key != "stored_relative" &&
          key != "min_requests" && key != "detect") {
        throw InputError(where + "." + key + ": unknown field");
      }
    }
    policy.counters[name] = counter;
  }
  return policy;
}

}  // namespace voxperf::gate
