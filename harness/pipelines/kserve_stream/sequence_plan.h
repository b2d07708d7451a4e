// How requests are grouped into sequences, the way perf_analyzer's SequenceManager does it: each new sequence
// gets the next id and a length of N + U(-1, 1) x P/100 x N requests (at least 1); its first request carries
// sequence_start, its last sequence_end. Pure and seeded, so tests can check lengths and flags exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>

#include "harness/request_metrics.h"

namespace voxperf {

// The sequence parameters of one request.
struct SequenceStep {
  std::int64_t id = 0;
  bool start = false;
  bool end = false;
  std::size_t position = 0;  // 0 for the first request of its sequence
};

class SequencePlan {
 public:
  SequencePlan(std::size_t length, double variation_percent, std::uint64_t seed);
  std::size_t next_length();

 private:
  std::size_t length_;
  double variation_;
  std::mt19937_64 random_;
};

// One live sequence: the steps of its requests, in order.
class Sequence {
 public:
  Sequence() = default;
  Sequence(std::int64_t id, std::size_t length) : id_(id), length_(length) {}
  bool live() const { return id_ != 0 && sent_ < length_; }
  SequenceStep next();  // must be live()
  std::int64_t id() const { return id_; }
  std::size_t length() const { return length_; }
  std::size_t sent() const { return sent_; }
  std::size_t ordinal = 0;  // which sequence of its client this is, for picking its audio

 private:
  std::int64_t id_ = 0;
  std::size_t length_ = 0;
  std::size_t sent_ = 0;
};

// Which sequence slot the next request goes to, of `slots` open so far. Open loop: round-robin over
// `num_sequences` (the caller opens missing ones). Closed loop: the first slot with nothing in flight, or
// `slots` itself, meaning a new slot: each closed-loop slot holds one sequence with one request in flight.
std::size_t next_slot(LoadModel model, std::size_t num_sequences, std::size_t& round_robin, std::size_t slots,
                      const std::function<bool(std::size_t)>& idle);

}  // namespace voxperf
