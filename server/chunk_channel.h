// The hand-over between an engine thread and the HTTP connection thread that streams its answer: the engine
// pushes response chunks (a sentence of PCM, an SSE event) and finishes; the connection thread pops them as
// they come and writes each as it gets it. A client that goes away closes the channel, which the engine sees
// through closed() and stops.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

namespace voxperf::refserver {

class ChunkChannel {
 public:
  void push(std::string chunk) {
    {
      std::lock_guard lock(mutex_);
      chunks_.push_back(std::move(chunk));
    }
    wake_.notify_one();
  }
  // No more chunks: `completed` false when the work stopped part-way (the stream is then cut, not ended).
  void finish(bool completed) {
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      completed_ = completed;
    }
    wake_.notify_one();
  }
  // Waits for the next chunk. False at the end: then completed() says how it ended.
  bool pop(std::string& chunk) {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [this] { return !chunks_.empty() || finished_ || closed_; });
    if (chunks_.empty() || closed_) return false;
    chunk = std::move(chunks_.front());
    chunks_.pop_front();
    return true;
  }
  bool completed() const {
    std::lock_guard lock(mutex_);
    return finished_ && completed_ && !closed_;
  }
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    wake_.notify_all();
  }
  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> chunks_;
  bool finished_ = false;
  bool completed_ = false;
  bool closed_ = false;
};

}  // namespace voxperf::refserver
