#include "harness/request_samples.h"

namespace voxperf {

std::vector<std::pair<std::string, const LatencyHistogram*>> sample_families(const WindowMetrics& m) {
  const std::pair<const char*, const LatencyHistogram*> all[] = {
      {"latency", &m.latency},         {"ttfa", &m.ttfa},     {"ttfb", &m.ttfb},
      {"inter_chunk", &m.inter_chunk}, {"server_tail", &m.server_tail},
      {"first_partial", &m.first_partial}, {"ttft", &m.ttft}, {"ttst", &m.ttst},
      {"itl", &m.itl},                 {"tpot", &m.tpot}};
  std::vector<std::pair<std::string, const LatencyHistogram*>> out;
  for (const auto& [name, histogram] : all) {
    if (histogram->count() > 0) out.emplace_back(name, histogram);
  }
  return out;
}

}  // namespace voxperf
