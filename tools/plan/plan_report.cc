#include "tools/plan/plan_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace voxperf::plan {
namespace {

std::string percent(double fraction) { return grouped(fraction * 100.0, 1) + " %"; }

std::string money(double usd) {
  if (usd >= 100) return "$" + grouped(usd, 0);
  char text[32];
  std::snprintf(text, sizeof text, usd >= 0.01 ? "$%.2f" : "$%.4f", usd);
  return text;
}

std::string capitalized(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

// ASR:TTS as the NIM report writes it: "1:2.2" when TTS needs more, "47.6:1" when ASR does.
std::string ratio_text(std::size_t asr, std::size_t tts) {
  if (tts >= asr) return "1:" + grouped(static_cast<double>(tts) / static_cast<double>(asr), 1);
  return grouped(static_cast<double>(asr) / static_cast<double>(tts), 1) + ":1";
}

std::string cite(const Figure& f) { return "`" + f.case_name + "` " + f.counter; }

const PipelinePlan* plan_for(const std::vector<PipelinePlan>& plans, const std::string& key) {
  for (const auto& p : plans) {
    if (p.demand->key == key) return &p;
  }
  return nullptr;
}

void pipeline_section(std::ostringstream& out, const Scenario& s, const PipelinePlan& p) {
  const PipelineDemand& d = *p.demand;
  const RoleUnits units = role_units(d.role);
  out << "## " << role_name(d.role) << ": " << d.title << "\n\n";
  out << "- Demand: " << grouped(s.conversations) << " conversations x " << percent(d.share) << " x "
      << grouped(d.streams_per_conversation, 2) << " = **" << grouped(p.demand_streams, 1) << " " << units.demand
      << "**\n";
  out << "- Level: " << p.choice_text << "\n";
  if (!p.warning.empty()) out << "- WARNING: " << p.warning << "\n";
  if (!p.levels.empty()) {
    out << "\n  | Concurrency | Throughput (r/s) | SLA |\n  | ---: | ---: | :--- |\n";
    for (const auto& level : p.levels) {
      out << "  | " << level.concurrency << " | " << grouped(level.throughput, 2) << " | "
          << (level.met ? "met" : "broke: " + level.broken) << " |\n";
    }
    out << "\n";
  }
  out << "- Per instance: " << grouped(p.measured.value) << " (" << cite(p.measured) << ")";
  if (d.headroom_percent > 0) out << " x (1 - " << grouped(d.headroom_percent, 1) << " % headroom)";
  out << " = **" << p.planned << " " << units.demand << "**\n";
  out << "- " << capitalized(s.counted_as) << ", one instance each: ceil(" << grouped(p.demand_streams, 1) << " / " << p.planned << ") = **"
      << grouped(static_cast<double>(p.gpus)) << "**\n";
  for (const auto& v : p.variants) {
    out << "- " << v.sharing.name << " (" << v.scaling_text << "): " << p.planned << " x " << grouped(v.scaling, 2)
        << " = " << v.per_gpu << " per GPU, ceil(" << grouped(p.demand_streams, 1) << " / " << v.per_gpu << ") = **"
        << v.gpus << " " << s.counted_as << "**\n";
  }
  if (!p.rate) {
    out << "- Capacity per day: n/a (no " << units.rate_counter << " in " << p.measured.case_name << ")\n\n";
    return;
  }
  const CostPlan& c = *p.cost;
  out << "- Capacity per " << s.gpu_name << " (one instance): " << grouped(p.rate->value, 2) << " (" << cite(*p.rate) << ") x "
      << p.planned << "/" << grouped(p.measured.value) << " x " << (d.role == Role::kAsr ? "24 h" : "86,400 s") << " = **"
      << grouped(c.units_per_gpu_day) << " " << units.day_unit << " per day**";
  for (const auto& v : p.variants) {
    out << "; " << grouped(c.units_per_gpu_day * v.scaling) << " with " << v.sharing.name;
  }
  out << "\n";
  if (c.own_cost) {
    out << "- Cost: " << money(*s.gpu_hourly_usd) << " per " << s.gpu_name << "-hour x 24 / "
        << grouped(c.units_per_gpu_day) << " " << units.day_unit << " = **" << money(*c.own_cost) << " per "
        << units.block << "**";
    for (const auto& v : p.variants) out << " (" << money(*c.own_cost / v.scaling) << " with " << v.sharing.name << ")";
    out << "\n";
  }
  if (d.cloud_price_usd) {
    out << "- Cloud reference: " << money(*d.cloud_price_usd) << " per " << units.block;
    if (c.cloud_ratio) out << ", **" << grouped(*c.cloud_ratio, 1) << "x** the own cost (one instance each)";
    out << "\n";
  }
  if (c.break_even_days) {
    out << "- Break-even: " << money(*s.hardware_usd) << " / (" << grouped(c.units_per_gpu_day) << " " << units.day_unit
        << " per day x (" << money(*d.cloud_price_usd) << " - " << money(*c.own_cost) << ") per " << units.block
        << ") = **" << grouped(*c.break_even_days, 1) << " days** at full load\n";
  } else if (c.never_breaks_even) {
    out << "- Break-even: never: running one costs more than the cloud price\n";
  }
  out << "\n";
}

std::string gpus_cell(const PipelinePlan* p) {
  if (!p) return "-";
  std::string cell = grouped(static_cast<double>(p->gpus));
  std::string shared;
  for (const auto& v : p->variants) {
    shared += (shared.empty() ? "" : ", ") + grouped(static_cast<double>(v.gpus)) + " with " + v.sharing.name;
  }
  return shared.empty() ? cell : cell + " (" + shared + ")";
}

}  // namespace

std::string grouped(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string s = text;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  const bool negative = !s.empty() && s[0] == '-';
  const std::size_t digits_begin = negative ? 1 : 0;
  std::size_t point = s.find('.');
  if (point == std::string::npos) point = s.size();
  for (std::ptrdiff_t at = static_cast<std::ptrdiff_t>(point) - 3; at > static_cast<std::ptrdiff_t>(digits_begin); at -= 3) {
    s.insert(static_cast<std::size_t>(at), ",");
  }
  return s;
}

std::string plan_markdown(const Scenario& s, const std::vector<PipelinePlan>& plans, const std::string& results_text) {
  std::ostringstream out;
  out << "# Capacity plan: " << s.title << "\n\n";
  if (!s.notes.empty()) out << s.notes << "\n\n";
  out << "Scenario " << s.file.filename().string() << "; measured cases from " << results_text << ". "
      << grouped(s.conversations) << " conversations; " << s.gpu_name;
  if (s.gpu_hourly_usd) out << " at " << money(*s.gpu_hourly_usd) << " per hour";
  if (s.hardware_usd) out << ", " << money(*s.hardware_usd) << " to buy";
  out << ".\n\n";
  for (const auto& p : plans) pipeline_section(out, s, p);

  std::vector<Role> roles;
  for (Role role : {Role::kAsr, Role::kTts, Role::kLlm}) {
    const bool used = std::any_of(s.rows.begin(), s.rows.end(), [&](const ScenarioRow& row) {
      return std::any_of(row.pipelines.begin(), row.pipelines.end(),
                         [&](const std::string& key) { return plan_for(plans, key)->demand->role == role; });
    });
    if (used) roles.push_back(role);
  }
  const bool ratio = std::count(roles.begin(), roles.end(), Role::kAsr) && std::count(roles.begin(), roles.end(), Role::kTts);
  out << "## Summary\n\n| Scenario |";
  for (Role role : roles) out << " " << role_name(role) << " " << s.counted_as << " |";
  out << " Total " << s.counted_as << " |" << (ratio ? " ASR:TTS |" : "") << "\n| :--- |";
  for (std::size_t i = 0; i < roles.size() + 1 + (ratio ? 1 : 0); ++i) out << " ---: |";
  out << "\n";
  for (const auto& row : s.rows) {
    std::map<Role, const PipelinePlan*> by_role;
    for (const auto& key : row.pipelines) {
      const PipelinePlan* p = plan_for(plans, key);
      by_role[p->demand->role] = p;
    }
    std::size_t fewest = 0, most = 0;
    out << "| " << row.name << " |";
    for (Role role : roles) {
      const PipelinePlan* p = by_role.count(role) ? by_role[role] : nullptr;
      out << " " << gpus_cell(p) << " |";
      if (p) {
        fewest += p->fewest_gpus();
        most += p->gpus;
      }
    }
    const auto count = [](std::size_t n) { return grouped(static_cast<double>(n)); };
    out << " " << (fewest == most ? count(most) : count(fewest) + "-" + count(most)) << " |";
    if (ratio) {
      const PipelinePlan* asr = by_role.count(Role::kAsr) ? by_role[Role::kAsr] : nullptr;
      const PipelinePlan* tts = by_role.count(Role::kTts) ? by_role[Role::kTts] : nullptr;
      out << " " << (asr && tts ? ratio_text(asr->gpus, tts->gpus) : "-") << " |";
    }
    out << "\n";
  }
  out << "\nTotal: every pipeline on its fewest " << s.counted_as << " (shared) - one instance each. ASR:TTS: one "
         "instance each.\n";
  return out.str();
}

}  // namespace voxperf::plan
