#include "perf_tests/sla_report.h"

#include <cmath>
#include <sstream>

#include "harness/pipelines/common_counters.h"
#include "perf_tests/result_table.h"

namespace voxperf::bench {

const SlaProbe* SlaSearchReport::probe_at(std::size_t concurrency) const {
  for (const auto& probe : probes) {
    if (probe.concurrency == concurrency) return &probe;
  }
  return nullptr;
}

namespace {

std::string broken_text(const ProbeVerdict& verdict) {
  std::string out;
  for (const auto& b : verdict.broken) out += (out.empty() ? "" : "; ") + b;
  return out;
}

// Enough digits for a bound's counter: times and rates to 1 decimal, fractions (RTF, WER) to 3.
std::string value_cell(double value) {
  if (std::isnan(value)) return "n/a";
  return number_cell(value, std::fabs(value) < 10 ? 3 : 1);
}

}  // namespace

std::string sla_summary(const SlaSearchReport& r) {
  if (r.max_concurrency == 0) {
    const SlaProbe* first = r.probe_at(r.range.min);
    return "SLA: not even c=" + std::to_string(r.range.min) + " met it" +
           (first ? " (" + broken_text(first->verdict) + ")" : "");
  }
  if (!r.first_broken) {
    return "SLA: max concurrency " + std::to_string(r.max_concurrency) + ", every level met it up to max " +
           std::to_string(r.range.max) + " (the true limit may be higher)";
  }
  const SlaProbe* broke = r.probe_at(*r.first_broken);
  return "SLA: max concurrency " + std::to_string(r.max_concurrency) + " (c=" + std::to_string(*r.first_broken) +
         " broke: " + (broke ? broken_text(broke->verdict) : "?") + ")";
}

std::string sla_markdown(const SlaSearchReport& r) {
  std::ostringstream out;
  out << "### " << r.name.str() << ": SLA search\n\n";
  std::string bounds;
  for (const auto& b : r.bounds) bounds += (bounds.empty() ? "" : ", ") + b.text();
  out << "Bounds: " << bounds << "; no errors";
  out << ". Concurrency " << r.range.min << " to " << r.range.max << ", doubling, then bisection. ";
  if (r.min_requests > 0) {
    out << "Each probe has at least " << r.min_requests << " requests (" << r.range.tail_samples
        << " beyond the highest percentile bounded).";
  } else {
    out << "Each probe has the target's requests per window.";
  }
  out << "\n\n| Probe | Concurrency |";
  for (const auto& b : r.bounds) out << " " << b.counter << " |";
  out << " Throughput (r/s) | Requests | Errors | Stable | Verdict |\n| ---: | ---: |";
  for (std::size_t i = 0; i < r.bounds.size(); ++i) out << " ---: |";
  out << " ---: | ---: | ---: | :--- | :--- |\n";
  const auto stable = stable_column();
  for (std::size_t i = 0; i < r.probes.size(); ++i) {
    const auto& p = r.probes[i];
    out << "| " << i + 1 << " | " << p.concurrency << " |";
    for (const auto& b : r.bounds) {
      const auto v = p.values.find(b.counter);
      out << " " << value_cell(v == p.values.end() ? NAN : v->second) << " |";
    }
    out << " " << number_cell(p.metrics.throughput_rps, 2) << " | " << p.metrics.requests << " | "
        << errors_cell(p.metrics) << " | " << stable.cell(p.metrics) << " | "
        << (p.verdict.met ? std::string("met") : "broke: " + broken_text(p.verdict)) << " |\n";
  }
  out << "\n**" << sla_summary(r) << "**\n\n";
  return out.str();
}

}  // namespace voxperf::bench
