// Progress of a long sweep, on stderr only (never in the JSON or the reports): a line as each measured
// window starts,
//
//   voxperf_bench: [3/24] TTS/espeak-ng/bs8/stream/c:8 (elapsed 1m05s, about 7m35s left)
//
// where "left" is the mean time of the windows so far times the windows still to come, and on a terminal a
// live line while the window runs ("  118/256 requests, 2 errors, 14s"), erased when it ends, as k6 and
// genai-perf show theirs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "harness/clock.h"
#include "harness/load_driver.h"

namespace voxperf::bench {

// "42s", "3m07s", "1h02m".
std::string duration_text(double seconds);

class SweepProgress {
 public:
  // `live`: draw the live line (stderr is a terminal). `clock` times the sweep.
  SweepProgress(std::ostream& out, bool live, const Clock& clock = SystemClock::instance());

  // Windows in the whole sweep: cases x repetitions (an A/B repetition counts once).
  void set_total(std::size_t windows) { total_ = windows; }
  // The next window starts: prints its line.
  void start(const std::string& case_name);

  // A line within the current case (an SLA search's probe), not counted as a window.
  void note(const std::string& text);

  // While it exists, a thread redraws the live line for `driver` every 500 ms (only when live).
  class Watch {
   public:
    Watch(SweepProgress& progress, LoadDriver& driver);
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    SweepProgress& progress_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;
    std::thread thread_;
  };

  bool live() const { return live_; }

 private:
  std::ostream& out_;
  bool live_;
  const Clock& clock_;
  TimePoint started_{};
  std::size_t total_ = 0;
  std::size_t started_windows_ = 0;
  std::mutex out_mutex_;
};

}  // namespace voxperf::bench
