// A server bidi reactor whose responses may come from any thread (gRPC's, or the timer thread's): they are
// queued and written one at a time, as gRPC allows, and the call finishes once the last one is written.
// finish_after_writes() must be the last thing the call's own flow does, exactly once: nothing of the call may
// still be waiting on a timer then, because OnDone deletes it.
#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <mutex>

namespace voxperf::nullserver {

template <class Request, class Response>
class QueuedWrites : public grpc::ServerBidiReactor<Request, Response> {
 protected:
  // Queues `response`; dropped once a write failed (the client went away).
  void send(Response response) {
    std::lock_guard lock(mutex_);
    if (broken_) return;
    queue_.push_back(std::move(response));
    if (!writing_) write_next();
  }

  void finish_after_writes() {
    std::lock_guard lock(mutex_);
    finishing_ = true;
    if (!writing_) this->Finish(broken_ ? grpc::Status::CANCELLED : grpc::Status::OK);
  }

  bool broken() {
    std::lock_guard lock(mutex_);
    return broken_;
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mutex_);
    queue_.pop_front();
    writing_ = false;
    if (!ok) {
      broken_ = true;
      queue_.clear();
    }
    if (!queue_.empty()) return write_next();
    if (finishing_) this->Finish(broken_ ? grpc::Status::CANCELLED : grpc::Status::OK);
  }

  void OnDone() override { delete this; }

 private:
  void write_next() {  // with the lock held
    writing_ = true;
    this->StartWrite(&queue_.front());  // a deque keeps the front's address while more are pushed
  }

  std::mutex mutex_;
  std::deque<Response> queue_;
  bool writing_ = false;
  bool finishing_ = false;
  bool broken_ = false;
};

}  // namespace voxperf::nullserver
