#include "harness/load_driver.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace voxperf {

class LoadDriver::LoadWindow : public std::enable_shared_from_this<LoadDriver::LoadWindow> {
 public:
  LoadWindow(RequestClient& client, const Clock& clock, const LoadSpec& spec) : client_(client), clock_(clock), spec_(spec) {}

  // Closed loop: start `concurrency` requests, at once or over the ramp; each one that ends starts the next.
  void start_closed_loop(TimerQueue& timers) {
    start_ = clock_.now();
    if (spec_.duration > Nanos::zero()) stop_starting_at_ = start_ + spec_.duration;
    const bool ramp = spec_.ramp > Nanos::zero() && spec_.concurrency > 1;
    std::vector<Call*> calls;
    {
      std::lock_guard lock(mutex_);
      if (ramp) {
        pending_arrivals_ = spec_.concurrency - 1;
        arrived_.assign(spec_.concurrency, false);
        if (auto* call = next_closed_loop_call(start_)) calls.push_back(call);
      } else {
        for (std::size_t i = 0; i < spec_.concurrency; ++i) {
          if (auto* call = next_closed_loop_call(start_)) calls.push_back(call);
        }
      }
    }
    for (auto* call : calls) call->start();
    if (!ramp) return;
    for (std::size_t i = 1; i < spec_.concurrency; ++i) {
      const TimePoint at = start_ + spec_.ramp * static_cast<std::int64_t>(i) / static_cast<std::int64_t>(spec_.concurrency);
      timers.at(at, [self = shared_from_this(), i, at] { self->ramp_start(i, at); });
    }
  }

  // Open loop: put every arrival of the schedule on the timer queue.
  void start_open_loop(TimerQueue& timers) {
    const auto offsets = arrival_offsets(spec_.arrivals, spec_.rate, spec_.requests, spec_.duration, spec_.seed);
    start_ = clock_.now();
    {
      std::lock_guard lock(mutex_);
      for (std::size_t k = 0; k < offsets.size(); ++k) {
        auto& record = records_.emplace_back();
        record.index = k;
        record.intended_start = start_ + offsets[k];
      }
      arrived_.assign(offsets.size(), false);
      pending_arrivals_ = offsets.size();
    }
    for (std::size_t k = 0; k < offsets.size(); ++k) {
      timers.at(start_ + offsets[k], [self = shared_from_this(), k] { self->arrive(k); });
    }
  }

  void cancel() {
    std::vector<std::shared_ptr<Call>> calls;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      std::fill(arrived_.begin(), arrived_.end(), true);  // arrivals still to come stay unsent
      pending_arrivals_ = 0;
      for (auto& [index, call] : active_) calls.push_back(call);
    }
    for (auto& call : calls) call->cancel();
    done_.notify_all();
  }

  LoadProgress progress() {
    std::lock_guard lock(mutex_);
    return {ended_, failed_, spec_.requests};
  }

  LoadResult wait_and_collect() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return in_flight_ == 0 && pending_arrivals_ == 0; });
    LoadResult result;
    result.cancelled = cancelled_;
    result.max_in_flight = max_in_flight_;
    // A cancelled closed loop still accounts for every request it was asked for.
    for (std::size_t i = records_.size(); i < spec_.requests && spec_.model == LoadModel::kClosedLoop; ++i) {
      records_.emplace_back().index = i;
    }
    result.window.model = spec_.model;
    result.window.start = start_;
    result.window.end = last_end_.value_or(clock_.now());
    result.records.assign(std::make_move_iterator(records_.begin()), std::make_move_iterator(records_.end()));
    return result;
  }

 private:
  // With the lock held: prepares and registers the request for `record`; the caller starts it unlocked.
  // Only active_ owns a call: it is destroyed when it ends, in finished(), before in_flight_ drops, so no
  // call (nor the channel its ClientContext holds) outlives the window on a gRPC callback thread (see finish()
  // in request_client.h). Hence the raw pointer.
  Call* begin(RequestRecord& record) {
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    const std::uint64_t index = record.index;
    auto call = client_.prepare(record, [self = shared_from_this(), index] { self->finished(index); });
    Call* raw = call.get();
    active_.emplace(index, std::move(call));
    return raw;
  }

  // With the lock held: the next closed-loop request, meant to start at `intended` (now, or its ramp step).
  Call* next_closed_loop_call(TimePoint intended) {
    if (cancelled_) return nullptr;
    if (spec_.requests > 0 && records_.size() >= spec_.requests) return nullptr;
    if (clock_.now() >= stop_starting_at_) return nullptr;
    auto& record = records_.emplace_back();
    record.index = records_.size() - 1;
    record.intended_start = intended;
    return begin(record);
  }

  // The ramp's i-th start, on the timer thread.
  void ramp_start(std::size_t i, TimePoint intended) {
    Call* call = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (arrived_[i]) return;  // cancelled before its time
      arrived_[i] = true;
      --pending_arrivals_;
      call = next_closed_loop_call(intended);
    }
    if (call) call->start();
    done_.notify_all();
  }

  void arrive(std::size_t k) {
    Call* call = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (arrived_[k]) return;  // cancelled before its time
      arrived_[k] = true;
      --pending_arrivals_;
      auto& record = records_[k];
      if (in_flight_ >= spec_.max_in_flight) {
        record.status = {Status::kUnsent, "open loop: " + std::to_string(spec_.max_in_flight) +
                                              " requests already in flight at the arrival time", {}};
      } else {
        call = begin(record);
      }
    }
    if (call) call->start();
    done_.notify_all();
  }

  void finished(std::uint64_t index) {
    Call* next = nullptr;
    {
      std::lock_guard lock(mutex_);
      active_.erase(index);
      --in_flight_;
      const auto& record = records_[index];
      ++ended_;
      if (!record.status.ok()) ++failed_;
      const TimePoint ended = record.end.value_or(clock_.now());
      if (!last_end_ || ended > *last_end_) last_end_ = ended;
      if (spec_.model == LoadModel::kClosedLoop) next = next_closed_loop_call(clock_.now());
    }
    if (next) next->start();
    done_.notify_all();
  }

  RequestClient& client_;
  const Clock& clock_;
  const LoadSpec spec_;
  TimePoint start_{};
  TimePoint stop_starting_at_ = TimePoint::max();

  std::mutex mutex_;
  std::condition_variable done_;
  std::deque<RequestRecord> records_;  // a deque: records keep their address while more are added
  std::unordered_map<std::uint64_t, std::shared_ptr<Call>> active_;
  std::vector<bool> arrived_;
  std::size_t pending_arrivals_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_ = 0;
  std::size_t ended_ = 0;
  std::size_t failed_ = 0;
  std::optional<TimePoint> last_end_;
  bool cancelled_ = false;
};

LoadDriver::LoadDriver(RequestClient& client, TimerQueue& timers, const Clock& clock)
    : client_(client), timers_(timers), clock_(clock) {}

LoadDriver::~LoadDriver() = default;

LoadResult LoadDriver::run(const LoadSpec& spec) {
  if (spec.requests == 0 && spec.duration <= Nanos::zero()) {
    throw std::invalid_argument("load spec: set a request count or a duration");
  }
  if (spec.model == LoadModel::kClosedLoop && spec.concurrency == 0) {
    throw std::invalid_argument("load spec: closed loop needs a concurrency of at least 1");
  }
  if (spec.model == LoadModel::kOpenLoop && !(spec.rate > 0.0)) {
    throw std::invalid_argument("load spec: open loop needs a rate above 0");
  }
  if (spec.warmup_requests > 0) {
    LoadSpec warmup;
    warmup.concurrency = std::max<std::size_t>(1, std::min(spec.concurrency, spec.warmup_requests));
    warmup.requests = spec.warmup_requests;
    warmup.ramp = spec.ramp;
    run_window(warmup);  // discarded
  }
  return run_window(spec);
}

LoadResult LoadDriver::run_window(const LoadSpec& spec) {
  auto window = std::make_shared<LoadWindow>(client_, clock_, spec);
  {
    std::lock_guard lock(mutex_);
    current_ = window;
    if (cancelled_) window->cancel();
  }
  if (spec.model == LoadModel::kClosedLoop) {
    window->start_closed_loop(timers_);
  } else {
    window->start_open_loop(timers_);
  }
  {
    // A cancel() that came while the window was starting has cancelled what was registered; repeat it for
    // the rest.
    std::lock_guard lock(mutex_);
    if (cancelled_) window->cancel();
  }
  auto result = window->wait_and_collect();
  std::lock_guard lock(mutex_);
  current_.reset();
  return result;
}

LoadProgress LoadDriver::progress() {
  std::shared_ptr<LoadWindow> window;
  {
    std::lock_guard lock(mutex_);
    window = current_;
  }
  return window ? window->progress() : LoadProgress{};
}

void LoadDriver::cancel() {
  std::shared_ptr<LoadWindow> window;
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    window = current_;
  }
  if (window) window->cancel();
}

}  // namespace voxperf
