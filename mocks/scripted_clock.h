// A clock that a fake server moves, so that the times a client records are the times a test scripted, however
// busy the machine is. The server moves time on, sends a response and waits until the client has read the
// clock (it does so when it records the response) before it moves time again:
//
//   const auto mark = clock.advance(20ms);   // the first audio is due 20 ms after the request
//   stream->Write(chunk);
//   clock.wait_for_read(mark);               // the client stamped the chunk at +20 ms
//
// This lockstep holds when one request is in flight at a time (concurrency 1): then the client reading the
// response is the only reader of the clock between the advance and the next one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "harness/clock.h"

namespace voxperf::mocks {

class ScriptedClock final : public Clock {
 public:
  explicit ScriptedClock(TimePoint start = TimePoint{} + std::chrono::hours(1)) : now_(start) {}

  TimePoint now() const override {
    std::lock_guard lock(mutex_);
    ++reads_;
    read_.notify_all();
    return now_;
  }

  // Moves time on by `by`; returns the number of reads so far, for wait_for_read.
  std::uint64_t advance(Nanos by) {
    std::lock_guard lock(mutex_);
    now_ += by;
    return reads_;
  }

  // Waits until the clock has been read after `mark` was taken. False after `limit` (a guard against a test
  // that hangs, never part of a passing run).
  bool wait_for_read(std::uint64_t mark, std::chrono::milliseconds limit = std::chrono::seconds(20)) const {
    std::unique_lock lock(mutex_);
    return read_.wait_for(lock, limit, [&] { return reads_ > mark; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable read_;
  mutable std::uint64_t reads_ = 0;
  TimePoint now_;
};

}  // namespace voxperf::mocks
