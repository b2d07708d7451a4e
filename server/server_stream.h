// The write side shared by the streaming services (StreamingRecognize, SynthesizeOnline): a queue of
// responses written one at a time, each not before its due time (injected delays), the stall and drop
// faults, and a reference count so that engine work and timers finishing after the call ends never touch
// a deleted stream. Engine threads call send() and finish(); gRPC calls the reactions.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>

#include "server/service_context.h"

namespace voxperf::refserver {

template <class Request, class Response>
class ServerStream : public grpc::ServerBidiReactor<Request, Response> {
 public:
  struct Faults {
    bool stall = false;  // after the first response, send nothing more and wait to be cancelled
    bool drop = false;   // after the first response, close the connection
  };

  ServerStream(const ServiceContext& service, grpc::CallbackServerContext* call)
      : service_(service), call_(call) {}

  // Every asynchronous piece of work (engine task, timer) holds a reference while it may touch the stream.
  void ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void unref() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  void set_faults(Faults faults) {
    std::lock_guard lock(mutex_);
    faults_ = faults;
  }

  // Delays count from here: the moment the engine takes the request (its admission slot).
  void mark_admitted() {
    std::lock_guard lock(mutex_);
    last_due_ = service_.clock->now();
  }

  void send(Response response) {
    std::unique_lock lock(mutex_);
    if (finish_requested_ || stalled_) return;
    const auto& faults = service_.faults;
    const TimePoint now = service_.clock->now();
    // The first response leaves first_response_delay after the engine produced it (a slower model: the
    // delay adds to TTFA whatever the load); later ones at least chunk_delay after the one before.
    last_due_ = queued_ == 0 ? now + faults.first_response_delay : std::max(now, last_due_ + faults.chunk_delay);
    ++queued_;
    queue_.push_back({std::move(response), last_due_});
    pump(lock);
  }

  // Ends the call with `status` once every queued response is written; `flushed` runs just before.
  void finish(grpc::Status status, std::function<void()> flushed = {}) {
    std::unique_lock lock(mutex_);
    if (finish_requested_) return;
    finish_requested_ = true;
    finish_status_ = std::move(status);
    flushed_ = std::move(flushed);
    pump(lock);
  }

  bool cancelled() const { return cancelled_.load(); }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mutex_);
    write_in_flight_ = false;
    ++written_;
    if (!ok) {
      queue_.clear();  // the stream is broken; OnDone follows once we finish
      request_finish(grpc::Status::CANCELLED);
    } else if (written_ == 1 && faults_.stall) {
      stalled_ = true;  // keep the call open, send nothing; OnCancel ends it
      queue_.clear();
    } else if (written_ == 1 && faults_.drop && service_.dropper != nullptr) {
      // Under the lock, so that no engine thread starts the next write before the connection is gone.
      service_.dropper->drop(call_->peer());
    }
    pump(lock);
  }

  void OnCancel() override {
    cancelled_ = true;
    std::unique_lock lock(mutex_);
    queue_.clear();
    stalled_ = false;
    request_finish(grpc::Status::CANCELLED);
    pump(lock);
  }

  void OnDone() override { unref(); }

 protected:
  ~ServerStream() override = default;

 private:
  struct Queued {
    Response response;
    TimePoint due;
  };

  void request_finish(grpc::Status status) {
    if (finish_requested_) return;
    finish_requested_ = true;
    finish_status_ = std::move(status);
  }

  // Starts the next write, arms a timer for it, or finishes the call; called with the lock held.
  void pump(std::unique_lock<std::mutex>& lock) {
    if (write_in_flight_ || timer_armed_ || finish_called_) return;
    if (queue_.empty()) {
      if (!finish_requested_ || stalled_) return;
      finish_called_ = true;
      auto flushed = std::move(flushed_);
      const grpc::Status status = finish_status_;
      lock.unlock();
      if (flushed) flushed();
      this->Finish(status);
      return;
    }
    const TimePoint due = queue_.front().due;
    if (due > service_.clock->now()) {
      timer_armed_ = true;
      ref();
      service_.timers->at(due, [this] {
        {
          std::unique_lock timer_lock(mutex_);
          timer_armed_ = false;
          if (!queue_.empty()) queue_.front().due = service_.clock->now();  // due now, whatever the clock says
          pump(timer_lock);
        }
        unref();
      });
      return;
    }
    current_ = std::move(queue_.front().response);
    queue_.pop_front();
    write_in_flight_ = true;
    lock.unlock();
    this->StartWrite(&current_);
  }

  const ServiceContext& service_;
  grpc::CallbackServerContext* const call_;
  std::atomic<int> refs_{1};  // gRPC's, released in OnDone
  std::atomic<bool> cancelled_{false};

  std::mutex mutex_;
  Faults faults_;
  std::deque<Queued> queue_;
  Response current_;
  TimePoint last_due_{};
  std::size_t queued_ = 0, written_ = 0;
  bool write_in_flight_ = false, timer_armed_ = false, stalled_ = false;
  bool finish_requested_ = false, finish_called_ = false;
  grpc::Status finish_status_;
  std::function<void()> flushed_;
};

}  // namespace voxperf::refserver
