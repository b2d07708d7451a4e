// The Prometheus text exposition format (what Triton's :8002/metrics and NVIDIA's DCGM exporter serve):
// "# HELP" / "# TYPE" comments, then one sample per line: name{label="value",...} value [timestamp].
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace voxperf::telemetry {

struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0.0;  // NaN, +Inf and -Inf as the format writes them
};

// Throws InputError "line N: what is wrong" for a line that is not a comment, blank, or a sample.
std::vector<MetricSample> parse_prometheus_text(std::string_view text);

}  // namespace voxperf::telemetry
