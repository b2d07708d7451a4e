#include "server/admission.h"

#include <algorithm>

namespace voxperf::refserver {

void Admission::enter(Admitted admitted) {
  {
    std::lock_guard lock(mutex_);
    if (stats_.active >= capacity_) {
      waiting_.push_back(std::move(admitted));
      stats_.queued = waiting_.size();
      stats_.peak_queued = std::max(stats_.peak_queued, stats_.queued);
      return;
    }
    ++stats_.active;
    ++stats_.admitted;
    stats_.peak_active = std::max(stats_.peak_active, stats_.active);
  }
  admitted();
}

void Admission::leave() {
  Admitted next;
  {
    std::lock_guard lock(mutex_);
    if (waiting_.empty()) {
      --stats_.active;
      return;
    }
    // The freed slot passes straight to the oldest waiter: active stays the same.
    next = std::move(waiting_.front());
    waiting_.pop_front();
    stats_.queued = waiting_.size();
    ++stats_.admitted;
  }
  next();
}

AdmissionStats Admission::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace voxperf::refserver
