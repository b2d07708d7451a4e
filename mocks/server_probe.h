// Small thread-safe counters and gates for fake-server handlers: how many calls are in flight at the server
// (counted, never timed), and a gate that holds calls until the test opens it.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace voxperf::mocks {

class InFlightGauge {
 public:
  // Returns the call's 1-based arrival number.
  std::size_t enter() {
    std::lock_guard lock(mutex_);
    ++current_;
    ++total_;
    peak_ = std::max(peak_, current_);
    changed_.notify_all();
    return total_;
  }
  void leave() {
    std::lock_guard lock(mutex_);
    --current_;
    changed_.notify_all();
  }
  std::size_t peak() {
    std::lock_guard lock(mutex_);
    return peak_;
  }
  std::size_t total() {
    std::lock_guard lock(mutex_);
    return total_;
  }
  // Waits (at most `limit`) until at least n calls have been in flight at once. The peak, not the current
  // count: a waiter woken late must not miss a moment that has already passed.
  bool wait_for_peak(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return peak_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t current_ = 0;
  std::size_t peak_ = 0;
  std::size_t total_ = 0;
};

// Holds handlers until open() (or a guard time-out, so that a broken test fails instead of hanging).
class Gate {
 public:
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  bool wait(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mutex_);
    return opened_.wait_for(lock, limit, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// The distinct client peers (ip:port, i.e. connections) that reached a server.
class PeerSet {
 public:
  void add(const std::string& peer) {
    std::lock_guard lock(mutex_);
    peers_.insert(peer);
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return peers_.size();
  }

 private:
  std::mutex mutex_;
  std::set<std::string> peers_;
};

}  // namespace voxperf::mocks
