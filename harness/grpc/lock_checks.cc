#include "harness/grpc/lock_checks.h"

#include <absl/synchronization/mutex.h>

namespace voxperf {

void disable_lock_order_checks() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

}  // namespace voxperf
