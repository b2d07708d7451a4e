// The load driver: starts requests on a RequestClient according to a load model and collects their records.
//
// Closed loop keeps `concurrency` requests in flight (a finished request starts the next at once) until
// `requests` have been started or `duration` has passed. Open loop starts requests at the times of an arrival
// schedule (constant or Poisson at `rate`), whatever the server is doing; an arrival that finds
// `max_in_flight` requests still running is recorded as unsent instead of waiting, so a late send never
// hides queueing (k6's dropped_iterations). A closed loop's first requests may ramp up over LoadSpec::ramp. Nothing here blocks a thread per request: the client is
// asynchronous and the open-loop schedule runs on the TimerQueue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "harness/arrival_schedule.h"
#include "harness/request_client.h"
#include "harness/timer_queue.h"
#include "harness/window_metrics.h"

namespace voxperf {

struct LoadSpec {
  LoadModel model = LoadModel::kClosedLoop;
  std::size_t concurrency = 1;  // closed loop: requests in flight; also the warm-up's concurrency
  // Closed loop: the first `concurrency` requests start at even steps over this time instead of at once
  // (request i at i x ramp / concurrency), so that 10,000 paced streams do not all send their chunks in the
  // same instant for the whole window; each one's intended start is its step.
  Nanos ramp{0};
  double rate = 0.0;            // open loop: arrivals per second
  ArrivalProcess arrivals = ArrivalProcess::kPoisson;
  std::size_t max_in_flight = 10'000;  // open loop: arrivals beyond this many running requests are unsent
  std::size_t requests = 0;     // requests in the measured window (0: bounded by duration only)
  Nanos duration{0};            // stop starting requests after this long (0: bounded by count only)
  std::size_t warmup_requests = 0;  // run first, closed loop, and discarded
  std::uint64_t seed = 1;       // Poisson schedule
};

struct LoadResult {
  Window window;
  std::vector<RequestRecord> records;  // in index order; unsent ones included
  std::size_t max_in_flight = 0;       // the most requests that were in flight at once
  bool cancelled = false;
};

// How far the window in progress has come (for a live progress line; never part of a result).
struct LoadProgress {
  std::size_t ended = 0;   // requests that have ended, OK or not
  std::size_t failed = 0;  // of those, the ones that did not end OK
  std::size_t requests = 0;  // the window's request count (0: bounded by duration)
};

class LoadDriver {
 public:
  // The open loop times arrivals with `timers`, so `clock` must tell the same time (SystemClock with
  // ThreadTimerQueue). Records are stamped by the client, the window by this clock.
  LoadDriver(RequestClient& client, TimerQueue& timers, const Clock& clock = SystemClock::instance());
  ~LoadDriver();

  // Runs the warm-up, then the measured window; returns when every started request has ended.
  // Throws std::invalid_argument on an inconsistent spec.
  LoadResult run(const LoadSpec& spec);

  // Thread-safe: the window in progress, or zeros between windows.
  LoadProgress progress();

  // Thread-safe. Cancels the requests in flight and starts no more, now and in later runs; run() then returns
  // the records it has: ended ones as they ended, cancelled ones as CANCELLED, the rest as unsent.
  void cancel();

 private:
  class LoadWindow;  // the state of one load window, shared with the callbacks of its requests
  LoadResult run_window(const LoadSpec& spec);

  RequestClient& client_;
  TimerQueue& timers_;
  const Clock& clock_;
  std::mutex mutex_;
  std::shared_ptr<LoadWindow> current_;
  bool cancelled_ = false;
};

}  // namespace voxperf
