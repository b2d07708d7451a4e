// Debian's absl (which gRPC locks with) is built with Mutex deadlock detection on: every lock and unlock
// updates a global lock-order graph (GraphCycles). At 3,000 paced streams that was 1.7 % of voxperf_bench's
// CPU (perf record), for a check meant for debug builds. Programs that drive or serve load at scale turn it
// off once, before any gRPC object exists.
#pragma once

namespace voxperf {

void disable_lock_order_checks();

}  // namespace voxperf
