// The interleaved A/B gate's estimate of a change in one counter: the counter's statistic over all
// repetitions of each side pooled (every request of every repetition, for latency means and percentiles),
// and the standard error of the difference from a paired cluster bootstrap over repetitions.
//
// Why repetitions are the unit that is resampled: requests of one repetition share the machine's state
// (another process on a core, a warm cache), so they are not independent; repetitions i of the two sides
// were measured back to back, so resampling pair indices keeps what drift they share, and the difference's
// spread comes out as it is, including the spread between repetitions.
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

struct PairedEstimate {
  double baseline = 0.0;        // the statistic over every repetition of the baseline side
  double candidate = 0.0;       // ... and of the candidate side
  double standard_error = 0.0;  // of candidate - baseline
  std::size_t pairs = 0;
};

// Both sides must have the same number of repetitions (pair i: repetition i of each). `draws` bootstrap
// resamples of pair indices with replacement, from a generator seeded with `seed`, so that the gate gives
// the same answer every time it reads the same files.
PairedEstimate paired_bootstrap(const Repetitions& baseline, const Repetitions& candidate,
                                const PooledStatistic& statistic, std::size_t draws, std::uint64_t seed);

// A seed from a text (FNV-1a), stable across runs and builds: the case and counter name.
std::uint64_t seed_of(const std::string& text);

}  // namespace voxperf::gate
