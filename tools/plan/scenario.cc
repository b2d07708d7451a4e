#include "tools/plan/scenario.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "harness/targets/fields.h"
#include "harness/targets/sla_fields.h"

namespace voxperf::plan {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const json& object_at(Fields& fields, const std::string& key) {
  const json& value = fields.require(key);
  if (!value.is_object()) fields.fail(key, "must be an object");
  return value;
}

MultiInstance read_multi_instance(const json& value, const std::string& path, const fs::path& file) {
  Fields fields(value, path, file);
  if (!value.is_object()) fields.fail("", "must be an object {\"name\": ..., \"instances_per_gpu\": N}");
  MultiInstance m;
  m.name = *fields.string("name", true);
  if (!fields.has("instances_per_gpu")) fields.fail("instances_per_gpu", "required");
  m.instances_per_gpu = static_cast<std::size_t>(*fields.integer("instances_per_gpu", 1, 1024));
  if (auto c = fields.string("aggregate_case")) m.aggregate_case = *c;
  if (auto c = fields.string("alone_case")) m.alone_case = *c;
  if (m.aggregate_case.empty() != m.alone_case.empty()) {
    fields.fail(m.aggregate_case.empty() ? "aggregate_case" : "alone_case",
                "aggregate_case and alone_case go together: the scaling is their ratio of throughput");
  }
  fields.reject_unknown();
  return m;
}

PipelineDemand read_pipeline(const std::string& key, const json& value, const std::string& path, const fs::path& file) {
  Fields fields(value, path, file);
  if (!value.is_object()) fields.fail("", "must be an object");
  PipelineDemand p;
  p.key = key;
  const std::string role = *fields.string("role", true);
  if (role == "asr") {
    p.role = Role::kAsr;
  } else if (role == "tts") {
    p.role = Role::kTts;
  } else if (role == "llm") {
    p.role = Role::kLlm;
  } else {
    fields.fail("role", "'" + role + "' is not one of asr, tts, llm");
  }
  p.title = fields.string("title").value_or(key);
  p.cases = *fields.string("cases", true);
  if (std::count(p.cases.begin(), p.cases.end(), '/') < 3) {
    fields.fail("cases", "'" + p.cases + "' must name <pipeline>/<model>/<profile>/<mode>, or one case of it");
  }
  if (auto v = fields.number("share", 0.0, 1.0)) p.share = *v;
  if (auto v = fields.number("streams_per_conversation", 0.0, 1e6)) p.streams_per_conversation = *v;
  if (const json* sla = fields.find("sla")) p.sla = read_sla_bounds(*sla, path + ".sla", file);
  if (auto choose = fields.string("choose")) {
    if (*choose == "largest_meeting_sla") {
      p.choice = Choice::kLargestMeetingSla;
    } else if (*choose == "peak_throughput") {
      p.choice = Choice::kPeakThroughput;
    } else {
      fields.fail("choose", "'" + *choose + "' is not one of largest_meeting_sla, peak_throughput");
    }
  }
  if (auto v = fields.number("headroom_percent", 0.0, 99.0)) p.headroom_percent = *v;
  if (const json* list = fields.find("multi_instance")) {
    if (!list->is_array()) fields.fail("multi_instance", "must be an array");
    for (std::size_t i = 0; i < list->size(); ++i) {
      p.multi_instance.push_back(read_multi_instance((*list)[i], path + ".multi_instance[" + std::to_string(i) + "]", file));
    }
  }
  p.cloud_price_usd = fields.number("cloud_price_usd", 0.0, 1e9);
  fields.reject_unknown();
  return p;
}

std::vector<fs::path> paths(Fields& fields, const std::string& key, const fs::path& base) {
  std::vector<fs::path> out;
  if (!fields.has(key)) return out;
  for (const auto& name : fields.strings(key)) {
    const fs::path p(name);
    out.push_back(p.is_absolute() ? p : base / p);
  }
  return out;
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::kAsr: return "ASR";
    case Role::kTts: return "TTS";
    case Role::kLlm: return "LLM";
  }
  return "?";
}

Scenario load_scenario(const fs::path& path) {
  const json document = read_json_file(path, "scenario file");
  Fields top(document, "(top level)", path);
  if (!document.is_object()) top.fail("", "must be an object {\"title\": ..., \"pipelines\": {...}, \"scenarios\": [...]}");
  Scenario s;
  s.file = path;
  const fs::path base = path.parent_path();
  s.title = *top.string("title", true);
  s.notes = top.string("notes").value_or("");
  top.string("description");
  if (!top.has("conversations")) top.fail("conversations", "required: the users in simultaneous conversations");
  s.conversations = *top.number("conversations", 1.0, 1e12);
  s.results = paths(top, "results", base);
  s.targets = paths(top, "targets", base);
  if (const json* gpu = top.find("gpu")) {
    Fields g(*gpu, "gpu", path);
    if (!gpu->is_object()) g.fail("", "must be an object {\"name\": ..., \"hourly_price_usd\": ...}");
    s.gpu_name = g.string("name").value_or("GPU");
    s.counted_as = g.string("counted_as").value_or("GPUs");
    s.gpu_hourly_usd = g.number("hourly_price_usd", 0.0, 1e9);
    s.hardware_usd = g.number("hardware_price_usd", 0.0, 1e12);
    g.reject_unknown();
  }
  const json& pipelines = object_at(top, "pipelines");
  if (pipelines.empty()) top.fail("pipelines", "must name at least one pipeline");
  for (auto it = pipelines.begin(); it != pipelines.end(); ++it) {
    s.pipelines.push_back(read_pipeline(it.key(), *it, "pipelines." + it.key(), path));
  }
  const json& rows = top.require("scenarios");
  if (!rows.is_array() || rows.empty()) top.fail("scenarios", "must be a non-empty array of {\"name\": ..., \"pipelines\": [...]}");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string where = "scenarios[" + std::to_string(i) + "]";
    Fields f(rows[i], where, path);
    if (!rows[i].is_object()) f.fail("", "must be an object");
    ScenarioRow row;
    row.name = *f.string("name", true);
    row.pipelines = f.strings("pipelines");
    std::set<Role> roles;
    for (const auto& key : row.pipelines) {
      const auto p = std::find_if(s.pipelines.begin(), s.pipelines.end(), [&](const auto& d) { return d.key == key; });
      if (p == s.pipelines.end()) f.fail("pipelines", "'" + key + "' is not one of the file's pipelines");
      if (!roles.insert(p->role).second) f.fail("pipelines", "two " + std::string(role_name(p->role)) + " pipelines in one scenario");
    }
    f.reject_unknown();
    s.rows.push_back(std::move(row));
  }
  top.reject_unknown();
  return s;
}

}  // namespace voxperf::plan
