// Runs short tasks at given times: the one thread that paces every stream's audio chunks and every open-loop
// arrival, so that 10,000 paced streams need no thread each.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "harness/clock.h"

namespace voxperf {

class TimerQueue {
 public:
  using Task = std::function<void()>;
  virtual ~TimerQueue() = default;
  // Runs `task` once, at `when` or as soon after as the thread gets to it; tasks due at the same time run in
  // the order they were added. Tasks must not block: they start a write or a call and return.
  virtual void at(TimePoint when, Task task) = 0;
};

class ThreadTimerQueue final : public TimerQueue {
 public:
  ThreadTimerQueue();
  // Runs every task still queued at once (a stream waiting for its next chunk then sees its cancelled call
  // and ends), then joins the thread.
  ~ThreadTimerQueue() override;

  void at(TimePoint when, Task task) override;

 private:
  struct Entry {
    TimePoint when;
    std::uint64_t order;
    Task task;
    bool operator>(const Entry& other) const {
      return when != other.when ? when > other.when : order > other.order;
    }
  };

  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::uint64_t next_order_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace voxperf
