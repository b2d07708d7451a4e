// The profile's cap on engine work: at most `capacity` requests hold a slot; later ones wait in FIFO order
// and are admitted as slots free up. Counts are kept here, inside the server, so tests can check the cap
// without timing anything.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace voxperf::refserver {

struct AdmissionStats {
  std::size_t active = 0;       // requests holding a slot now
  std::size_t queued = 0;       // requests waiting for one
  std::size_t peak_active = 0;
  std::size_t peak_queued = 0;
  std::size_t admitted = 0;     // since start
};

class Admission {
 public:
  using Admitted = std::function<void()>;
  explicit Admission(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Calls `admitted` once a slot is held: at once (on this thread) when one is free, otherwise on the thread
  // that frees one. `admitted` must only hand work on, never block. Every admission needs one leave().
  void enter(Admitted admitted);
  void leave();

  std::size_t capacity() const { return capacity_; }
  AdmissionStats stats() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Admitted> waiting_;
  AdmissionStats stats_;
};

}  // namespace voxperf::refserver
