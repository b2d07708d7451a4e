// SLA search: the largest concurrency at which a target meets every bound of its "sla" (bounds on counters its
// cases report: {"ttfb_p95_ms": 2000, "rtf_p95": 1.0}). The search doubles from sla_search.min until a level
// breaks a bound (or max is reached), then bisects on integers between the last level that met the SLA and the
// first that broke it, which assumes what the seeds' tables show: a bound that breaks at c stays broken above c.
// Everything here is pure (levels are judged from counter values), so it is tested with scripted servers.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace voxperf {

// One bound: a counter at most (times, RTF, WER) or at least (throughput, RTFX) a limit.
struct SlaBound {
  std::string counter;  // as the cases report it: "ttfb_p95_ms"
  double limit = 0.0;
  bool at_most = true;

  // The percentile the counter reads, from its name ("_p95" -> 95, "_p99_" -> 99); none for means and rates.
  std::optional<double> percentile() const;
  // Whether `value` meets it; an unmeasured (NaN) value does not.
  bool met(double value) const;
  std::string text() const;  // "ttfb_p95_ms <= 2000"
};

struct SlaRange {
  std::size_t min = 1;
  std::size_t max = 512;
  // A percentile bound is read from a probe with at least this many requests beyond the percentile: a P95
  // from 10/(1-0.95) = 200 requests, a P99 from 1,000. Fewer, and the percentile is close to the maximum.
  std::size_t tail_samples = 10;
};

struct Sla {
  std::vector<SlaBound> bounds;
  std::optional<SlaRange> search;  // unset: no search (the bounds alone say nothing)
};

// The requests a probe needs so that every percentile bound is read from `tail_samples` requests beyond it
// (0 when no bound is a percentile).
std::size_t requests_for_bounds(const std::vector<SlaBound>& bounds, std::size_t tail_samples);

// One measured level against the bounds.
struct ProbeVerdict {
  bool met = true;
  std::vector<std::string> broken;  // "ttfb_p95_ms 2140 > 2000", "errors: 3", "unstable", "wer not measured"
};

// Judges a level: every bound met, no errors, and stable when the target asked for stability (`stable` unset:
// not asked). `values` are the level's counters by name.
ProbeVerdict judge_probe(const std::vector<SlaBound>& bounds, const std::map<std::string, double>& values,
                         std::size_t errors, std::optional<bool> stable);

// The search's state: which level to probe next, from the verdicts so far.
class SlaSearch {
 public:
  explicit SlaSearch(SlaRange range);

  // The next concurrency to measure; none when the answer is known.
  std::optional<std::size_t> next() const;
  void record(std::size_t concurrency, bool met);

  // The largest level that met the SLA (0: not even min did).
  std::size_t max_concurrency() const { return passed_; }
  // The smallest level that broke it; none when every level up to max met it.
  std::optional<std::size_t> first_broken() const { return broken_; }
  std::size_t probes() const { return probes_; }

 private:
  SlaRange range_;
  std::size_t passed_ = 0;
  std::optional<std::size_t> broken_;
  std::size_t probes_ = 0;
};

}  // namespace voxperf
