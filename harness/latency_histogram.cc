#include "harness/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "harness/percentile.h"

namespace voxperf {
namespace {

constexpr int kSubBucketBits = 10;  // 1024 sub-buckets per power of two
constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;
constexpr std::int64_t kLinearLimit = 2 * kSubBuckets;  // values below this are exact buckets
constexpr double kNsPerMs = 1e6;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::size_t LatencyHistogram::bucket_index(std::int64_t ns) {
  if (ns < kLinearLimit) return static_cast<std::size_t>(ns);
  const int msb = 63 - std::countl_zero(static_cast<std::uint64_t>(ns));
  const int shift = msb - kSubBucketBits;  // >= 1 here
  const std::int64_t sub = (ns >> shift) - kSubBuckets;  // in [0, 1024)
  return static_cast<std::size_t>((shift + 1) * kSubBuckets + sub);
}

double LatencyHistogram::bucket_midpoint_ns(std::size_t index) {
  const auto i = static_cast<std::int64_t>(index);
  if (i < kLinearLimit) return static_cast<double>(i);
  const std::int64_t shift = i / kSubBuckets - 1;
  const std::int64_t sub = i % kSubBuckets;
  const std::int64_t lower = (kSubBuckets + sub) << shift;
  const std::int64_t width = std::int64_t{1} << shift;
  return static_cast<double>(lower) + static_cast<double>(width - 1) / 2.0;
}

void LatencyHistogram::record(Nanos value) {
  const std::int64_t ns = std::max<std::int64_t>(0, value.count());  // clock skew can not make time negative
  const std::size_t index = bucket_index(ns);
  if (index >= buckets_.size()) buckets_.resize(index + 1, 0);
  ++buckets_[index];

  if (count_ == 0) {
    min_ns_ = max_ns_ = ns;
  } else {
    min_ns_ = std::min(min_ns_, ns);
    max_ns_ = std::max(max_ns_, ns);
  }
  ++count_;
  const double x = static_cast<double>(ns);
  const double delta = x - mean_ns_;
  mean_ns_ += delta / static_cast<double>(count_);
  m2_ += delta * (x - mean_ns_);

  if (count_ <= kExactLimit) {
    exact_.push_back(ns);
    exact_sorted_ = false;
  } else {
    exact_.clear();
    exact_.shrink_to_fit();
  }
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size(), 0);
  for (std::size_t i = 0; i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];

  const double n_a = static_cast<double>(count_);
  const double n_b = static_cast<double>(other.count_);
  const double delta = other.mean_ns_ - mean_ns_;
  const double n = n_a + n_b;
  mean_ns_ += delta * n_b / n;
  m2_ += other.m2_ + delta * delta * n_a * n_b / n;
  min_ns_ = std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
  count_ += other.count_;

  if (count_ <= kExactLimit) {
    exact_.insert(exact_.end(), other.exact_.begin(), other.exact_.end());
    exact_sorted_ = false;
  } else {
    exact_.clear();
    exact_.shrink_to_fit();
  }
}

double LatencyHistogram::kth_smallest_ns(std::size_t k) const {
  if (exact()) return static_cast<double>(exact_[k]);
  // The extremes are known exactly; everything between comes from its bucket's midpoint.
  if (k == 0) return static_cast<double>(min_ns_);
  if (k + 1 == count_) return static_cast<double>(max_ns_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen > k) return bucket_midpoint_ns(i);
  }
  return static_cast<double>(max_ns_);
}

double LatencyHistogram::percentile_ms(double p) const {
  if (exact() && !exact_sorted_) {
    std::sort(exact_.begin(), exact_.end());
    exact_sorted_ = true;
  }
  return percentile_by_rank(count_, p, [this](std::size_t k) { return kth_smallest_ns(k); }) / kNsPerMs;
}

double LatencyHistogram::mean_ms() const { return count_ ? mean_ns_ / kNsPerMs : kNaN; }

double LatencyHistogram::stddev_ms() const {
  return count_ > 1 ? std::sqrt(m2_ / static_cast<double>(count_ - 1)) / kNsPerMs : kNaN;
}

std::vector<double> LatencyHistogram::values_ms() const {
  std::vector<double> out;
  out.reserve(count_);
  if (exact()) {
    for (std::int64_t ns : exact_) out.push_back(static_cast<double>(ns) / kNsPerMs);
    return out;
  }
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    out.insert(out.end(), buckets_[i], bucket_midpoint_ns(i) / kNsPerMs);
  }
  return out;
}

double LatencyHistogram::min_ms() const { return count_ ? static_cast<double>(min_ns_) / kNsPerMs : kNaN; }
double LatencyHistogram::max_ms() const { return count_ ? static_cast<double>(max_ns_) / kNsPerMs : kNaN; }

}  // namespace voxperf
