#include "harness/pipelines/kserve_stream/sequence_plan.h"

#include <algorithm>
#include <cmath>

namespace voxperf {

SequencePlan::SequencePlan(std::size_t length, double variation_percent, std::uint64_t seed)
    : length_(std::max<std::size_t>(1, length)), variation_(variation_percent / 100.0), random_(seed) {}

std::size_t SequencePlan::next_length() {
  std::uniform_real_distribution<double> offset(-1.0, 1.0);
  const double n = static_cast<double>(length_);
  const double length = std::round(n + offset(random_) * variation_ * n);
  return static_cast<std::size_t>(std::max(1.0, length));
}

std::size_t next_slot(LoadModel model, std::size_t num_sequences, std::size_t& round_robin, std::size_t slots,
                      const std::function<bool(std::size_t)>& idle) {
  if (model == LoadModel::kOpenLoop) return round_robin++ % std::max<std::size_t>(1, num_sequences);
  for (std::size_t i = 0; i < slots; ++i) {
    if (idle(i)) return i;
  }
  return slots;
}

SequenceStep Sequence::next() {
  SequenceStep step{id_, sent_ == 0, sent_ + 1 == length_, sent_};
  ++sent_;
  return step;
}

}  // namespace voxperf
