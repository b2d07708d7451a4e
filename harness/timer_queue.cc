#include "harness/timer_queue.h"

namespace voxperf {

ThreadTimerQueue::ThreadTimerQueue() : thread_([this] { loop(); }) {}

ThreadTimerQueue::~ThreadTimerQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ThreadTimerQueue::at(TimePoint when, Task task) {
  bool earliest;
  {
    std::lock_guard lock(mutex_);
    earliest = queue_.empty() || when < queue_.top().when;
    queue_.push({when, next_order_++, std::move(task)});
  }
  if (earliest) wake_.notify_one();
}

void ThreadTimerQueue::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (queue_.empty()) {
      if (stopping_) return;
      wake_.wait(lock);
      continue;
    }
    if (!stopping_ && SteadyClock::now() < queue_.top().when) {
      wake_.wait_until(lock, queue_.top().when);
      continue;
    }
    // priority_queue::top is const; the task is moved out before pop, which does not read it.
    Task task = std::move(const_cast<Entry&>(queue_.top()).task);
    queue_.pop();
    lock.unlock();
    task();  // outside the lock: a task may add the next timer
    lock.lock();
  }
}

}  // namespace voxperf
