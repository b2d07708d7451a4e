#include "harness/targets/sla_fields.h"

#include "harness/targets/fields.h"

namespace voxperf {

std::vector<SlaBound> read_sla_bounds(const nlohmann::json& value, const std::string& path,
                                      const std::filesystem::path& file) {
  Fields fields(value, path, file);
  if (!value.is_object() || value.empty()) {
    fields.fail("", "must be an object of bounds on counters, e.g. {\"ttfb_p95_ms\": 2000, \"rtf_p95\": 1.0}");
  }
  std::vector<SlaBound> bounds;
  for (auto it = value.begin(); it != value.end(); ++it) {
    SlaBound bound{it.key(), 0.0, true};
    if (it->is_object()) {
      Fields limit(*it, path + "." + it.key(), file);
      const auto max = limit.number("max", -1e12, 1e12), min = limit.number("min", -1e12, 1e12);
      limit.reject_unknown();
      if (max.has_value() == min.has_value()) limit.fail("", "give one of {\"max\": X} or {\"min\": X}");
      bound.at_most = max.has_value();
      bound.limit = max ? *max : *min;
    } else {
      bound.limit = *fields.number(it.key(), -1e12, 1e12);
    }
    bounds.push_back(bound);
  }
  return bounds;
}

}  // namespace voxperf
