// Time for the harness: one monotonic time type, and a clock that tests can replace.
#pragma once

#include <atomic>
#include <chrono>

namespace voxperf {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using Nanos = std::chrono::nanoseconds;

// Seconds between two time points as a double, the unit every rate counter uses.
inline double seconds_between(TimePoint from, TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

// Where the harness reads "now". Production code uses SystemClock; tests inject ManualClock so that
// nothing they assert depends on how busy the machine is.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return SteadyClock::now(); }
  static const SystemClock& instance() {
    static const SystemClock clock;
    return clock;
  }
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{}) : now_ns_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint{Nanos{now_ns_.load()}}; }
  void advance(Nanos by) { now_ns_ += by.count(); }
  void set(TimePoint t) { now_ns_ = t.time_since_epoch().count(); }

 private:
  std::atomic<Nanos::rep> now_ns_;
};

}  // namespace voxperf
