#include "harness/targets/targets_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>

#include "harness/input_error.h"
#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/registry.h"
#include "harness/targets/fields.h"
#include "harness/targets/sla_fields.h"

namespace voxperf {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// Case names are "<pipeline>/<model>/<profile>/<mode>/c:<N>": names must not break them apart.
void check_name(Fields& fields, const std::string& key, const std::string& name) {
  if (name.empty()) fields.fail(key, "must not be empty");
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      fields.fail(key, "'" + name + "' may hold only letters, digits, '-', '_' and '.' (it is part of case names)");
    }
  }
}

void check_endpoint(Fields& fields, const Pipeline& pipeline, const std::string& endpoint,
                    const std::string& key = "endpoint") {
  if (endpoint == "embedded") return;
  if (pipeline.wire() == Wire::kHttp && (endpoint.rfind("http://", 0) == 0 || endpoint.rfind("https://", 0) == 0)) {
    const auto host_begin = endpoint.find("://") + 3;
    if (host_begin >= endpoint.size() || endpoint[host_begin] == '/' || endpoint[host_begin] == ':') {
      fields.fail(key, "'" + endpoint + "' has no host");
    }
    return;
  }
  if (endpoint.find("://") != std::string::npos) {
    fields.fail(key, "'" + endpoint + "' must be host:port, without a scheme (TLS is the \"tls\" field)");
  }
  const auto colon = endpoint.rfind(':');
  const std::string port = colon == std::string::npos ? "" : endpoint.substr(colon + 1);
  const bool numeric = !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), ::isdigit);
  if (colon == 0 || !numeric || std::stoi(port) < 1 || std::stoi(port) > 65535) {
    fields.fail(key, "'" + endpoint + "' must be host:port (e.g. grpc.nvcf.nvidia.com:443)" +
                         std::string(pipeline.wire() == Wire::kHttp ? ", http(s)://HOST[:PORT]" : "") +
                         " or \"embedded\"");
  }
}

const char* kind_word(const Pipeline& pipeline) { return pipeline.wire() == Wire::kHttp ? "HTTP" : "gRPC"; }

// "slo": {"ttft_ms": 500, "itl_ms": 50}: bounds per request, for goodput (harness/slo.h).
Slo read_slo(const json& value, const std::string& path, const fs::path& file) {
  Fields fields(value, path, file);
  if (!value.is_object() || value.empty()) fields.fail("", "must be an object of bounds, e.g. {\"ttft_ms\": 500}");
  Slo slo;
  for (const std::string& key : Slo::keys()) {
    if (auto bound = fields.number(key, 0.0, 1e9)) slo.set(key, *bound);
  }
  for (const auto& key : fields.unknown()) {
    std::string known;
    for (const auto& k : Slo::keys()) known += (known.empty() ? "" : ", ") + k;
    fields.fail(key, "is not a bound voxperf knows (" + known + ")");
  }
  return slo;
}

// "sla" (harness/targets/sla_fields.h): every counter must be one that the target's cases report in every mode
// it lists.
std::vector<SlaBound> read_sla(const json& value, const std::string& path, const fs::path& file,
                               const Pipeline& pipeline, const std::vector<std::string>& modes) {
  auto bounds = read_sla_bounds(value, path, file);
  Fields fields(value, path, file);
  for (const auto& bound : bounds) {
    for (const auto& mode : modes) {
      std::vector<std::string> names;
      for (const auto& spec : common_counters()) names.push_back(spec.name);
      for (const auto& spec : pipeline.counters(mode)) names.push_back(spec.name);
      if (std::find(names.begin(), names.end(), bound.counter) == names.end()) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        fields.fail(bound.counter, "is not a counter of " + pipeline.kind() + " cases in mode " + mode + " (" + known + ")");
      }
    }
  }
  return bounds;
}

SlaRange read_sla_search(const json& value, const std::string& path, const fs::path& file) {
  Fields fields(value, path, file);
  if (!value.is_object()) fields.fail("", "must be an object {\"min\": 1, \"max\": 512}");
  SlaRange range;
  if (auto n = fields.integer("min", 1, 100'000)) range.min = static_cast<std::size_t>(*n);
  if (auto n = fields.integer("max", 1, 100'000)) range.max = static_cast<std::size_t>(*n);
  if (auto n = fields.integer("tail_samples", 1, 1000)) range.tail_samples = static_cast<std::size_t>(*n);
  fields.reject_unknown();
  if (range.max < range.min) fields.fail("max", "is below min (" + std::to_string(range.min) + ")");
  return range;
}

TlsSettings read_tls(const json& value, const std::string& path, const fs::path& file, const fs::path& base) {
  TlsSettings tls;
  if (value.is_boolean()) {
    tls.enabled = value.get<bool>();
    return tls;
  }
  Fields fields(value, path, file);
  if (!value.is_object()) fields.fail("", "must be true (system roots) or an object");
  tls.enabled = true;
  if (auto ca = fields.string("ca_file")) tls.ca_file = fields.existing_file("ca_file", *ca, base);
  if (auto cert = fields.string("client_cert")) tls.client_cert = fields.existing_file("client_cert", *cert, base);
  if (auto key = fields.string("client_key")) tls.client_key = fields.existing_file("client_key", *key, base);
  if (tls.client_cert.empty() != tls.client_key.empty()) {
    fields.fail(tls.client_cert.empty() ? "client_cert" : "client_key", "client_cert and client_key go together");
  }
  if (auto name = fields.string("server_name")) tls.server_name = *name;
  fields.reject_unknown();
  return tls;
}

GpuMetricsSettings read_gpu_metrics(const json& value, const std::string& path, const fs::path& file) {
  Fields fields(value, path, file);
  if (!value.is_object()) fields.fail("", "must be an object: {\"source\": \"nvml\" | \"triton\" | \"dcgm\" | \"none\", ...}");
  GpuMetricsSettings settings;
  const std::string source = *fields.string("source", true);
  using Source = GpuMetricsSettings::Source;
  if (source == "nvml") {
    settings.source = Source::kNvml;
  } else if (source == "triton") {
    settings.source = Source::kTriton;
  } else if (source == "dcgm") {
    settings.source = Source::kDcgm;
  } else if (source == "none") {
    settings.source = Source::kNone;
  } else {
    fields.fail("source", "'" + source + "' is not one of nvml, triton, dcgm, none");
  }
  const bool remote = settings.source == Source::kTriton || settings.source == Source::kDcgm;
  if (auto url = fields.string("url")) {
    if (!remote) fields.fail("url", "only the triton and dcgm sources read a URL");
    if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0) {
      fields.fail("url", "'" + *url + "' must start with http:// or https://");
    }
    settings.url = *url;
  } else if (remote) {
    fields.fail("url", "required for source " + source + " (e.g. http://host:" +
                           (settings.source == Source::kTriton ? "8002" : "9400") + "/metrics)");
  }
  if (auto n = fields.integer("interval_ms", 10, 60'000)) settings.interval = std::chrono::milliseconds(*n);
  fields.reject_unknown();
  return settings;
}

// A field no one asked for is a typo, or a field of another pipeline, which would be silently ignored here.
void reject_unknown_target_fields(const Fields& fields, const Pipeline& pipeline) {
  for (const auto& key : fields.unknown()) {
    std::string owners;
    for (const Pipeline* other : pipelines()) {
      const auto own = other->fields();
      if (other != &pipeline && std::find(own.begin(), own.end(), key) != own.end()) {
        owners += (owners.empty() ? "" : ", ") + other->kind();
      }
    }
    fields.fail(key, owners.empty() ? "unknown field (misspelt?)" : "applies to " + owners + " targets only");
  }
}

Target read_target(const json& value, const std::string& path, const fs::path& file, const EnvironmentLookup& lookup) {
  Fields fields(value, path, file);
  if (!value.is_object()) fields.fail("", "must be an object");
  const fs::path base = file.parent_path();
  Target target;

  target.model = *fields.string("model", true);
  check_name(fields, "model", target.model);
  if (auto profile = fields.string("profile")) target.profile = *profile;
  check_name(fields, "profile", target.profile);

  target.kind = *fields.string("kind", true);
  target.pipeline = find_pipeline(target.kind);
  if (target.pipeline == nullptr) fields.fail("kind", "'" + target.kind + "' is not one of " + pipeline_kinds());
  const Pipeline& pipeline = *target.pipeline;

  if (fields.find("endpoints") != nullptr) {
    if (fields.find("endpoint") != nullptr) fields.fail("endpoints", "give endpoint or endpoints, not both");
    // Not strings(): "embedded" may repeat, one reference server process per entry.
    const json& list = *fields.find("endpoints");
    if (!list.is_array() || list.size() < 2) fields.fail("endpoints", "must be an array of at least two endpoints");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string key = "endpoints[" + std::to_string(i) + "]";
      if (!list[i].is_string()) fields.fail(key, "must be a string");
      const auto text = list[i].get<std::string>();
      if (text != "embedded" && std::count(target.endpoints.begin(), target.endpoints.end(), text) > 0) {
        fields.fail(key, "'" + text + "' is listed twice");
      }
      target.endpoints.push_back(text);
    }
    for (std::size_t i = 0; i < target.endpoints.size(); ++i) {
      check_endpoint(fields, pipeline, target.endpoints[i], "endpoints[" + std::to_string(i) + "]");
      if ((target.endpoints[i] == "embedded") != (target.endpoints[0] == "embedded")) {
        fields.fail("endpoints", "all embedded or none: a group is one model's instances of one kind");
      }
    }
    target.endpoint = target.endpoints[0];
  } else {
    target.endpoint = *fields.string("endpoint", true);
    check_endpoint(fields, pipeline, target.endpoint);
    target.endpoints = {target.endpoint};
  }

  target.modes = fields.strings("modes");
  const std::vector<std::string> allowed = pipeline.modes();
  for (const auto& mode : target.modes) {
    if (std::find(allowed.begin(), allowed.end(), mode) == allowed.end()) {
      std::string names;
      for (const auto& m : allowed) names += (names.empty() ? "" : ", ") + m;
      fields.fail("modes", "'" + mode + "' is not a mode of " + target.kind + " (" + names + ")");
    }
  }
  // Closed loop, open loop or both; at least one, unless an SLA search finds the concurrency.
  if (fields.has("concurrency") || (!fields.has("request_rate") && !fields.has("sla_search"))) {
    for (long long c : fields.integers("concurrency", 1, 100'000)) target.concurrency.push_back(static_cast<std::size_t>(c));
  }
  if (fields.has("request_rate")) target.request_rate = fields.numbers("request_rate", 0.001, 1e6);
  if (auto distribution = fields.string("distribution")) {
    if (*distribution != "constant" && *distribution != "poisson") {
      fields.fail("distribution", "'" + *distribution + "' is neither constant nor poisson");
    }
    target.poisson = *distribution == "poisson";
  }
  if (auto n = fields.integer("requests_per_window", 1, 10'000'000)) target.requests_per_window = static_cast<std::size_t>(*n);
  if (auto n = fields.integer("warmup_requests", 0, 1'000'000)) target.warmup_requests = static_cast<std::size_t>(*n);
  if (auto mode = fields.string("measurement_mode")) {
    if (*mode != "count_windows" && *mode != "time_windows") {
      fields.fail("measurement_mode", "'" + *mode + "' is neither count_windows nor time_windows");
    }
    target.time_windows = *mode == "time_windows";
  }
  if (auto ms = fields.integer("window_ms", 100, 3'600'000)) {
    if (!target.time_windows) fields.fail("window_ms", "applies to \"measurement_mode\": \"time_windows\" only");
    target.window = std::chrono::milliseconds(*ms);
  }
  if (target.time_windows && fields.has("requests_per_window")) {
    fields.fail("requests_per_window", "time windows are bounded by window_ms, not by a request count");
  }
  target.stability.percent = fields.number("stability_percent", 0.0, 10'000.0);
  if (auto n = fields.integer("max_windows", 3, 1000)) {
    if (!target.stability.percent) fields.fail("max_windows", "applies with stability_percent only");
    target.stability.max_windows = static_cast<std::size_t>(*n);
  }
  target.stability.latency_threshold_ms = fields.number("latency_threshold_ms", 0.001, 86'400'000.0);
  if (auto ms = fields.integer("ramp_ms", 0, 3'600'000)) target.ramp = std::chrono::milliseconds(*ms);
  target.chunk_lag_budget_ms = fields.number("chunk_lag_budget_ms", 0.001, 86'400'000.0);
  target.settings = pipeline.parse(fields, base);
  target.modes = pipeline.case_modes(target.modes, *target.settings);
  if (const json* slo = fields.find("slo")) target.slo = read_slo(*slo, path + ".slo", file);
  if (const json* sla = fields.find("sla")) target.sla.bounds = read_sla(*sla, path + ".sla", file, pipeline, target.modes);
  if (const json* search = fields.find("sla_search")) {
    if (target.sla.bounds.empty()) fields.fail("sla_search", "needs \"sla\": the bounds to search against");
    target.sla.search = read_sla_search(*search, path + ".sla_search", file);
    if (target.endpoints.size() > 1) {
      fields.fail("sla_search", "searches one instance: give it a target with one endpoint (the planner combines "
                                "instances from a group's aggregate cases)");
    }
  } else if (!target.sla.bounds.empty()) {
    fields.fail("sla", "needs \"sla_search\": {\"min\": 1, \"max\": 512}, the range of concurrency to search");
  }

  if (const json* tls = fields.find("tls")) {
    target.tls = read_tls(*tls, path + ".tls", file, base);
    if (target.tls.enabled && target.embedded()) fields.fail("tls", "the embedded server speaks plaintext only");
  }
  // gRPC metadata, or HTTP headers: the same thing under each protocol's name.
  const char* headers_key = pipeline.wire() == Wire::kHttp ? "headers" : "metadata";
  if (fields.find(pipeline.wire() == Wire::kHttp ? "metadata" : "headers")) {
    fields.fail(pipeline.wire() == Wire::kHttp ? "metadata" : "headers",
                std::string(kind_word(pipeline)) + " targets name their headers \"" + headers_key + "\"");
  }
  if (const json* metadata = fields.find(headers_key)) {
    Fields headers(*metadata, path + "." + headers_key, file);
    if (!metadata->is_object()) headers.fail("", "must be an object of header: value");
    for (auto it = metadata->begin(); it != metadata->end(); ++it) {
      const std::string& key = it.key();
      const bool token = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
      const bool lower = std::none_of(key.begin(), key.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
      if (!token) headers.fail(key, "header names are letters, digits, '-', '_' and '.'");
      if (pipeline.wire() == Wire::kGrpc && !lower) headers.fail(key, "header names must be lower-case (gRPC metadata)");
      if (!it->is_string()) headers.fail(key, "must be a string");
      const std::string written = it->get<std::string>();
      target.metadata_as_written.emplace_back(key, written);
      target.metadata.emplace_back(key, expand_environment(written, lookup, file.string() + ": " + path + "." + headers_key + "." + key));
    }
  }
  if (auto n = fields.integer("max_message_bytes", 1024, std::numeric_limits<int>::max())) {
    target.max_message_bytes = static_cast<std::size_t>(*n);
  }
  if (auto n = fields.integer("deadline_ms", 1, 86'400'000)) target.deadline = std::chrono::milliseconds(*n);
  if (auto n = fields.integer("channels", 1, 1024)) target.channels = static_cast<std::size_t>(*n);
  if (const json* gpu = fields.find("gpu_metrics")) target.gpu_metrics = read_gpu_metrics(*gpu, path + ".gpu_metrics", file);
  reject_unknown_target_fields(fields, pipeline);
  return target;
}

}  // namespace

const char* gpu_source_name(GpuMetricsSettings::Source source) {
  switch (source) {
    case GpuMetricsSettings::Source::kNvml: return "nvml";
    case GpuMetricsSettings::Source::kTriton: return "triton";
    case GpuMetricsSettings::Source::kDcgm: return "dcgm";
    case GpuMetricsSettings::Source::kNone: return "none";
  }
  return "?";
}

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string expand_environment(const std::string& text, const EnvironmentLookup& lookup, const std::string& field) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    const auto close = text.find('}', i + 2);
    if (close == std::string::npos) throw InputError(field + ": '${' without a closing '}'");
    const std::string name = text.substr(i + 2, close - i - 2);
    const bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                       });
    if (!valid) throw InputError(field + ": '${" + name + "}' is not an environment variable name");
    const auto value = lookup(name);
    if (!value) throw InputError(field + ": environment variable " + name + " is not set");
    out += *value;
    i = close + 1;
  }
  return out;
}

std::vector<Target> load_targets(const fs::path& path, const EnvironmentLookup& lookup) {
  const json document = read_json_file(path, "targets file");
  Fields top(document, "(top level)", path);
  if (!document.is_object()) top.fail("", "must be an object {\"targets\": [...]}");
  top.string("description");
  const json& targets = top.require("targets");
  if (!targets.is_array() || targets.empty()) top.fail("targets", "must be a non-empty array of targets");
  top.reject_unknown();

  std::vector<Target> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string where = "targets[" + std::to_string(i) + "]";
    out.push_back(read_target(targets[i], where, path, lookup));
    const std::string name = out.back().kind + "/" + out.back().model + "/" + out.back().profile;
    if (!names.insert(name).second) {
      throw InputError(path.string() + ": " + where + ": another target has the same kind, model and profile (" +
                       name + "); their cases would have the same names");
    }
  }
  return out;
}

std::vector<Target> load_target_files(const std::vector<std::string>& paths, const EnvironmentLookup& lookup) {
  std::vector<Target> out;
  std::map<std::string, std::string> owner;  // kind/model/profile -> file
  for (const auto& path : paths) {
    for (auto& target : load_targets(path, lookup)) {
      const std::string name = target.kind + "/" + target.model + "/" + target.profile;
      if (auto [it, added] = owner.emplace(name, path); !added) {
        throw InputError(path + ": a target of kind, model and profile " + name + " is in " + it->second +
                         " too; their cases would have the same names");
      }
      out.push_back(std::move(target));
    }
  }
  return out;
}

}  // namespace voxperf
