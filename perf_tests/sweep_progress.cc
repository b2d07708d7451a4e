#include "perf_tests/sweep_progress.h"

#include <cmath>
#include <cstdio>

namespace voxperf::bench {

std::string duration_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof(text), "%lds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof(text), "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof(text), "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  }
  return text;
}

SweepProgress::SweepProgress(std::ostream& out, bool live, const Clock& clock)
    : out_(out), live_(live), clock_(clock) {}

void SweepProgress::start(const std::string& case_name) {
  const TimePoint now = clock_.now();
  if (started_windows_ == 0) started_ = now;
  const double elapsed = seconds_between(started_, now);
  ++started_windows_;
  std::string line = "voxperf_bench: [" + std::to_string(started_windows_) +
                     (total_ > 0 ? "/" + std::to_string(total_) : "") + "] " + case_name;
  if (started_windows_ > 1) {
    line += " (elapsed " + duration_text(elapsed);
    const std::size_t done = started_windows_ - 1;
    if (total_ >= started_windows_) {
      const double left = elapsed / static_cast<double>(done) * static_cast<double>(total_ - done);
      line += ", about " + duration_text(left) + " left";
    }
    line += ")";
  }
  std::lock_guard lock(out_mutex_);
  out_ << line << "\n" << std::flush;
}

void SweepProgress::note(const std::string& text) {
  std::lock_guard lock(out_mutex_);
  out_ << "voxperf_bench:   " << text << "\n" << std::flush;
}

SweepProgress::Watch::Watch(SweepProgress& progress, LoadDriver& driver) : progress_(progress) {
  if (!progress_.live_) return;
  const TimePoint started = progress_.clock_.now();
  thread_ = std::thread([this, &driver, started] {
    std::unique_lock lock(mutex_);
    while (!stop_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; })) {
      const LoadProgress p = driver.progress();
      std::lock_guard out(progress_.out_mutex_);
      progress_.out_ << "\r  " << p.ended << (p.requests > 0 ? "/" + std::to_string(p.requests) : "")
                     << " requests, " << p.failed << " errors, "
                     << duration_text(seconds_between(started, progress_.clock_.now())) << "\x1b[K" << std::flush;
    }
  });
}

SweepProgress::Watch::~Watch() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
  std::lock_guard out(progress_.out_mutex_);
  progress_.out_ << "\r\x1b[K" << std::flush;  // the live line goes; the results row takes its place
}

}  // namespace voxperf::bench
