// What an SLA search (harness/sla.h) found, as its case's label and as a table in the report: every probe with
// the bounded counters, the verdict, and the answer.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/sla.h"
#include "harness/window_metrics.h"
#include "perf_tests/case_name.h"

namespace voxperf::bench {

struct SlaProbe {
  std::size_t concurrency = 0;
  WindowMetrics metrics;
  std::map<std::string, double> values;  // the level's counters by name
  ProbeVerdict verdict;
};

struct SlaSearchReport {
  CaseName name;  // ".../sla"
  std::vector<SlaBound> bounds;
  SlaRange range;
  std::size_t min_requests = 0;  // per probe, from the percentile bounds (requests_for_bounds)
  std::vector<SlaProbe> probes;  // in the order measured
  std::size_t max_concurrency = 0;
  std::optional<std::size_t> first_broken;

  const SlaProbe* probe_at(std::size_t concurrency) const;
};

// The case's label: "SLA: max concurrency 12 (c=13 broke: ttfb_p95_ms 2140 > 2000)", "SLA: every level met
// it up to max 512", "SLA: not even c=1 met it (...)".
std::string sla_summary(const SlaSearchReport& report);
// Its report section: heading, the bounds and probe size, one row per probe, the answer.
std::string sla_markdown(const SlaSearchReport& report);

}  // namespace voxperf::bench
