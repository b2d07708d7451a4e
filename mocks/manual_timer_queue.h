// A TimerQueue that runs nothing by itself: the test fires the queued tasks one by one, so the order of
// open-loop arrivals and pacer ticks relative to server events is fixed by the test, not by the scheduler.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "harness/timer_queue.h"

namespace voxperf::mocks {

class ManualTimerQueue final : public TimerQueue {
 public:
  void at(TimePoint when, Task task) override {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back({when, order_++, std::move(task)});
    }
    added_.notify_all();
  }

  // Waits (at most `limit`) until at least n tasks are queued; false on time-out.
  bool wait_for(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    return added_.wait_for(lock, limit, [&] { return tasks_.size() >= n; });
  }

  std::size_t size() {
    std::lock_guard lock(mutex_);
    return tasks_.size();
  }

  // Runs the earliest queued task (ties in the order added); false when none is queued.
  bool run_next() {
    Task task;
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty()) return false;
      auto earliest = std::min_element(tasks_.begin(), tasks_.end(), [](const Entry& a, const Entry& b) {
        return a.when != b.when ? a.when < b.when : a.order < b.order;
      });
      task = std::move(earliest->task);
      tasks_.erase(earliest);
    }
    task();
    return true;
  }

 private:
  struct Entry {
    TimePoint when;
    std::uint64_t order;
    Task task;
  };
  std::mutex mutex_;
  std::condition_variable added_;
  std::vector<Entry> tasks_;
  std::uint64_t order_ = 0;
};

}  // namespace voxperf::mocks
