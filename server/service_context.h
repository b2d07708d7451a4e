// What every service of the reference server shares: the profile, the faults to inject and where delays are
// timed. Tests pass a ManualTimerQueue to decide themselves when an injected delay has passed.
#pragma once

#include <google/protobuf/map.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "harness/clock.h"
#include "harness/timer_queue.h"
#include "server/connection_dropper.h"
#include "server/fault_plan.h"
#include "server/profile.h"

namespace voxperf::refserver {

struct ServiceContext {
  Profile profile;
  FaultPlan faults;
  TimerQueue* timers = nullptr;
  const Clock* clock = &SystemClock::instance();
  ConnectionDropper* dropper = nullptr;  // set when faults.drop_fraction > 0
};

// The status a request picked by --fault-error fails with.
inline grpc::Status injected_error(const ServiceContext& context) {
  return {static_cast<grpc::StatusCode>(context.faults.error_code), "injected fault (voxperf-refserver --fault-error)"};
}

// The profile as config responses show it, so that a report can say which deployment it measured.
inline void add_profile_parameters(const ServiceContext& context,
                                   google::protobuf::Map<std::string, std::string>& parameters) {
  parameters["profile"] = context.profile.name;
  parameters["max_batch_size"] = std::to_string(context.profile.max_batch);
}

// Which requests of one service get which fault; decided when each request arrives.
class FaultPicks {
 public:
  explicit FaultPicks(const FaultPlan& plan)
      : errors_(plan.error_fraction), stalls_(plan.stall_fraction), drops_(plan.drop_fraction) {}
  bool error() { return count(errors_.next(), failed); }
  bool stall() { return count(stalls_.next(), stalled); }
  bool drop() { return count(drops_.next(), dropped); }

  std::atomic<std::uint64_t> failed{0}, stalled{0}, dropped{0};

 private:
  static bool count(bool picked, std::atomic<std::uint64_t>& counter) {
    if (picked) ++counter;
    return picked;
  }
  FractionPicker errors_, stalls_, drops_;
};

}  // namespace voxperf::refserver
