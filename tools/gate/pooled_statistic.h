// What the interleaved A/B gate compares for one counter: the counter's statistic over all repetitions of
// each side pooled (every request of every repetition, for latency means and percentiles), rather than the
// handful of per-repetition figures, so that a P99 uses every slow request that the run measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace voxperf::gate {

// What a counter is computed from, read from its name: "<family>_mean_ms" and "<family>_p<P>_ms" are the
// mean and the P-th percentile of the per-request samples of that family (latency, ttfa, ttft ...), pooled
// over repetitions; any other counter (throughput_rps, rtfx, wer ...) is a per-repetition figure, pooled as
// the mean of its repetitions.
struct PooledStatistic {
  enum class Kind { kMean, kPercentile, kRepetitionMean };
  Kind kind = Kind::kRepetitionMean;
  double percentile = 0.0;  // kPercentile: in [0, 100]
  std::string family;       // kMean, kPercentile: the sample family
};
PooledStatistic pooled_statistic(const std::string& counter);

// One side of one case. For per-request statistics, samples[i] are repetition i's requests (ms); for
// per-repetition ones, values[i] is repetition i's value.
struct Repetitions {
  std::vector<std::vector<double>> samples;
  std::vector<double> values;
  std::size_t count(const PooledStatistic& statistic) const;
};

// The statistic over repetitions taken with the given multiplicities (weights[i] copies of repetition i);
// the harness's percentile rule (harness/percentile.h). NaN with no data.
double pooled_value(const Repetitions& side, const PooledStatistic& statistic, const std::vector<std::uint32_t>& weights);

}  // namespace voxperf::gate
