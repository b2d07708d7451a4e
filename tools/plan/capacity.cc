#include "tools/plan/capacity.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "harness/input_error.h"

namespace voxperf::plan {
namespace {

std::string figure_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::size_t ceil_div(double demand, double per) {
  return static_cast<std::size_t>(std::ceil(demand / per - 1e-9));
}

// The concurrency in an exact case's name: ".../c:32" -> 32 (0 when it has none).
std::size_t concurrency_of(const std::string& case_name) {
  const auto at = case_name.rfind("/c:");
  if (at == std::string::npos) return 0;
  return static_cast<std::size_t>(std::strtoul(case_name.c_str() + at + 3, nullptr, 10));
}

std::string where(const PipelineDemand& d) { return "pipelines." + d.key; }

// Checks the sweep rows in order of concurrency; every row from the first that broke a bound (or had errors)
// on is out, since a level above a broken one is not a level the server holds.
std::vector<LevelCheck> check_levels(const PipelineDemand& d, const MeasuredCases& cases,
                                     const std::map<std::size_t, std::string>& rows) {
  std::vector<LevelCheck> out;
  for (const auto& [c, name] : rows) {
    LevelCheck check{c, name, true, "", cases.value(name, "throughput_rps")};
    std::map<std::string, double> values;
    for (const auto& bound : d.sla) values[bound.counter] = cases.value(name, bound.counter);
    const auto verdict = judge_probe(d.sla, values, static_cast<std::size_t>(cases.find(name, "errors").value_or(0)),
                                     std::nullopt);
    check.met = verdict.met;
    for (const auto& b : verdict.broken) check.broken += (check.broken.empty() ? "" : "; ") + b;
    out.push_back(check);
  }
  return out;
}

std::string bounds_text(const std::vector<SlaBound>& bounds) {
  std::string out;
  for (const auto& b : bounds) out += (out.empty() ? "" : ", ") + b.text();
  return out.empty() ? "no bounds, only no errors" : out;
}

void choose_from_rows(PipelinePlan& plan, const PipelineDemand& d, const MeasuredCases& cases,
                      const std::map<std::size_t, std::string>& rows) {
  plan.levels = check_levels(d, cases, rows);
  std::vector<const LevelCheck*> held;  // below the first that broke
  for (const auto& level : plan.levels) {
    if (!level.met) break;
    held.push_back(&level);
  }
  const std::string sla = bounds_text(d.sla);
  if (held.empty()) {
    throw InputError(where(d) + ": no measured level of " + d.cases + " met the SLA (" + sla + "): c=" +
                     std::to_string(plan.levels.front().concurrency) + " broke: " + plan.levels.front().broken +
                     "; measure lower concurrencies");
  }
  const LevelCheck* first_broken = held.size() < plan.levels.size() ? &plan.levels[held.size()] : nullptr;
  const std::string edge = first_broken ? "c=" + std::to_string(first_broken->concurrency) + " broke: " + first_broken->broken
                                        : "every measured level met it, so the limit may be above " +
                                              std::to_string(held.back()->concurrency);
  const LevelCheck* chosen = held.back();
  if (d.choice == Choice::kPeakThroughput) {
    // Ties go to the lower concurrency: the same throughput with less queueing.
    for (const auto* level : held) {
      if (level->throughput > chosen->throughput || (level->throughput == chosen->throughput && level->concurrency < chosen->concurrency)) {
        chosen = level;
      }
    }
    plan.choice_text = "c=" + std::to_string(chosen->concurrency) + ": the highest throughput (" +
                       figure_text(chosen->throughput) + " r/s, " + chosen->case_name + " throughput_rps) of the " +
                       std::to_string(held.size()) + " measured levels that met the SLA (" + sla + "); " + edge;
  } else {
    plan.choice_text = "c=" + std::to_string(chosen->concurrency) + ": the largest of the " +
                       std::to_string(plan.levels.size()) + " measured levels below the first that broke the SLA (" +
                       sla + "); " + edge;
  }
  plan.measured = {static_cast<double>(chosen->concurrency), chosen->case_name, "concurrency"};
}

VariantPlan plan_variant(const MultiInstance& m, std::size_t planned, double demand, const MeasuredCases& cases) {
  VariantPlan v;
  v.sharing = m;
  v.scaling = static_cast<double>(m.instances_per_gpu);
  if (!m.aggregate_case.empty()) {
    const double together = cases.value(m.aggregate_case, "throughput_rps");
    const double alone = cases.value(m.alone_case, "throughput_rps");
    if (alone <= 0) throw InputError(m.alone_case + ": throughput_rps is 0: no scaling can be measured from it");
    v.measured = true;
    const double ratio = together / alone;
    v.scaling = std::min(ratio, static_cast<double>(m.instances_per_gpu));
    v.scaling_text = "measured: " + figure_text(together) + " r/s (" + m.aggregate_case + " throughput_rps) / " +
                     figure_text(alone) + " r/s (" + m.alone_case + " throughput_rps) = " + figure_text(ratio) + "x" +
                     (ratio > v.scaling ? ", capped at " + std::to_string(m.instances_per_gpu) + " instances" : "");
  } else {
    v.scaling_text = "assumed linear, no aggregate case measured";
  }
  v.per_gpu = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(static_cast<double>(planned) * v.scaling + 1e-9)));
  v.gpus = ceil_div(demand, static_cast<double>(v.per_gpu));
  return v;
}

}  // namespace

RoleUnits role_units(Role role) {
  switch (role) {
    case Role::kAsr: return {"concurrent streams", "rtfx", "audio hours", 24.0, "audio hour", 1.0};
    case Role::kTts: return {"simultaneous TTS requests", "chars_per_s", "characters", 86400.0, "1M characters", 1e6};
    case Role::kLlm: return {"concurrent users", "output_tokens_per_s", "tokens", 86400.0, "1M tokens", 1e6};
  }
  return {"", "", "", 0, "", 1};
}

std::size_t PipelinePlan::fewest_gpus() const {
  std::size_t out = gpus;
  for (const auto& v : variants) out = std::min(out, v.gpus);
  return out;
}

PipelinePlan plan_pipeline(const Scenario& scenario, const PipelineDemand& d, const MeasuredCases& cases) {
  PipelinePlan plan;
  plan.demand = &d;
  plan.demand_streams = scenario.conversations * d.share * d.streams_per_conversation;
  const RoleUnits units = role_units(d.role);
  std::string rate_case;  // where the rate is read, and under which name
  std::string rate_counter = units.rate_counter;
  if (cases.has(d.cases + "/sla")) {
    const std::string name = d.cases + "/sla";
    plan.from_sla_case = true;
    plan.measured = {cases.value(name, "max_concurrency"), name, "max_concurrency"};
    const std::string label = cases.label(name);
    if (plan.measured.value < 1) {
      throw InputError(where(d) + ": the SLA search " + name + " found no level that met its SLA (" + label + ")");
    }
    plan.choice_text = "max_concurrency of the SLA search " + name + (label.empty() ? "" : " (" + label + ")");
    if (!d.sla.empty()) plan.choice_text += "; the search's own bounds apply, not the scenario's sla";
    rate_case = name;
    rate_counter = "at_max." + rate_counter;
  } else if (cases.has(d.cases)) {
    plan.measured = {static_cast<double>(concurrency_of(d.cases)), d.cases, "concurrency"};
    if (plan.measured.value < 1) throw InputError(where(d) + ".cases: '" + d.cases + "' is no c:N case");
    plan.choice_text = "c=" + figure_text(plan.measured.value) + ": the case the scenario names";
    if (!d.sla.empty()) {
      const auto checks = check_levels(d, cases, {{concurrency_of(d.cases), d.cases}});
      if (!checks.front().met) plan.warning = d.cases + " does not meet the scenario's SLA: " + checks.front().broken;
    }
    rate_case = d.cases;
  } else {
    const auto rows = cases.levels(d.cases);
    if (rows.empty()) {
      throw InputError(where(d) + ".cases: no results file has " + d.cases + "/sla or any " + d.cases +
                       "/c:N case (" + cases.files_text() + ")");
    }
    choose_from_rows(plan, d, cases, rows);
    rate_case = plan.measured.case_name;
  }
  const double measured = plan.measured.value;
  plan.planned = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::floor(measured * (1.0 - d.headroom_percent / 100.0) + 1e-9)));
  plan.gpus = ceil_div(plan.demand_streams, static_cast<double>(plan.planned));
  for (const auto& m : d.multi_instance) plan.variants.push_back(plan_variant(m, plan.planned, plan.demand_streams, cases));

  // The rate is needed when a price is: then a missing one is an error; otherwise it is shown when measured.
  const bool priced = scenario.gpu_hourly_usd.has_value() || d.cloud_price_usd.has_value();
  const auto rate = priced ? std::optional(cases.value(rate_case, rate_counter)) : cases.find(rate_case, rate_counter);
  if (rate) {
    plan.rate = Figure{*rate, rate_case, rate_counter};
    CostPlan cost;
    const double per_instance_rate = *rate * static_cast<double>(plan.planned) / measured;
    cost.units_per_gpu_day = per_instance_rate * units.per_day;
    if (scenario.gpu_hourly_usd && cost.units_per_gpu_day > 0) {
      cost.own_cost = *scenario.gpu_hourly_usd * 24.0 / cost.units_per_gpu_day * units.block_units;
    }
    if (cost.own_cost && d.cloud_price_usd && *cost.own_cost > 0) cost.cloud_ratio = *d.cloud_price_usd / *cost.own_cost;
    if (cost.own_cost && d.cloud_price_usd && scenario.hardware_usd) {
      const double saving_per_day = cost.units_per_gpu_day / units.block_units * (*d.cloud_price_usd - *cost.own_cost);
      if (saving_per_day > 0) {
        cost.break_even_days = *scenario.hardware_usd / saving_per_day;
      } else {
        cost.never_breaks_even = true;
      }
    }
    plan.cost = cost;
  }
  return plan;
}

}  // namespace voxperf::plan
