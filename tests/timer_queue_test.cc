#include "harness/timer_queue.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <vector>

namespace voxperf {
namespace {

using namespace std::chrono_literals;

TEST(ThreadTimerQueue, RunsTasksInTimeOrderThenInsertionOrder) {
  std::mutex mutex;
  std::vector<int> order;
  std::promise<void> all_done;
  {
    ThreadTimerQueue timers;
    const auto base = SteadyClock::now() + 30ms;
    auto note = [&](int id) {
      return [&, id] {
        std::lock_guard lock(mutex);
        order.push_back(id);
        if (order.size() == 4) all_done.set_value();
      };
    };
    timers.at(base + 20ms, note(3));
    timers.at(base, note(1));
    timers.at(base, note(2));
    timers.at(base + 40ms, note(4));
    all_done.get_future().wait();
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(ThreadTimerQueue, NeverRunsATaskBeforeItsTime) {
  ThreadTimerQueue timers;
  const auto due = SteadyClock::now() + 50ms;
  std::promise<TimePoint> ran;
  timers.at(due, [&] { ran.set_value(SteadyClock::now()); });
  EXPECT_GE(ran.get_future().get(), due);
}

TEST(ThreadTimerQueue, DestructorRunsWhatIsStillQueued) {
  int ran = 0;
  {
    ThreadTimerQueue timers;
    timers.at(SteadyClock::now() + 1h, [&] { ++ran; });
    timers.at(SteadyClock::now() + 2h, [&] { ++ran; });
  }
  EXPECT_EQ(ran, 2);
}

TEST(ThreadTimerQueue, TasksMayAddTasks) {
  ThreadTimerQueue timers;
  std::promise<int> done;
  int depth = 0;
  std::function<void()> step = [&] {
    if (++depth == 5) {
      done.set_value(depth);
    } else {
      timers.at(SteadyClock::now(), step);
    }
  };
  timers.at(SteadyClock::now(), step);
  EXPECT_EQ(done.get_future().get(), 5);
}

}  // namespace
}  // namespace voxperf
