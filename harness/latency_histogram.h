// Latency recording that merges exactly across streams, threads and repetitions.
//
// Two layers:
//  - exact: every sample is kept while the window has at most kExactLimit of them, so percentiles of small
//    windows (the usual 50..10,000 requests) are exact;
//  - log-linear buckets in the HdrHistogram style: values below 2048 ns have their own bucket; above that,
//    each power of two is split into 1024 equal sub-buckets, so a bucket's midpoint is within 1/2048
//    (0.05 %) of every value in it. Used once a window outgrows the exact layer.
// Mean and standard deviation are exact (Welford, merged with Chan's formula), as are min and max.
// Merging adds bucket counts, so merge-then-percentile equals percentile of the union; never average
// percentiles of parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/clock.h"

namespace voxperf {

class LatencyHistogram {
 public:
  static constexpr std::size_t kExactLimit = 100'000;
  static constexpr double kRelativePrecision = 1.0 / 2048.0;

  void record(Nanos value);
  void merge(const LatencyHistogram& other);

  std::size_t count() const { return count_; }
  bool exact() const { return count_ <= kExactLimit; }
  // All in milliseconds, the unit of reports; NaN when empty.
  double percentile_ms(double p) const;
  double mean_ms() const;
  double stddev_ms() const;  // sample standard deviation (n - 1); NaN below two samples
  double min_ms() const;
  double max_ms() const;
  // Every recorded value in ms (in no set order); past kExactLimit, each bucket's midpoint as often as the
  // bucket counted.
  std::vector<double> values_ms() const;

 private:
  static std::size_t bucket_index(std::int64_t ns);
  static double bucket_midpoint_ns(std::size_t index);
  double kth_smallest_ns(std::size_t k) const;

  std::size_t count_ = 0;
  double mean_ns_ = 0.0;
  double m2_ = 0.0;  // sum of squared deviations from the mean
  std::int64_t min_ns_ = 0;
  std::int64_t max_ns_ = 0;
  std::vector<std::uint64_t> buckets_;  // grown on demand up to the largest index seen
  mutable std::vector<std::int64_t> exact_;  // sorted lazily when a percentile is asked for
  mutable bool exact_sorted_ = true;
};

}  // namespace voxperf
