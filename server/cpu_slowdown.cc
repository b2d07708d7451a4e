#include "server/cpu_slowdown.h"

#include <ctime>

namespace voxperf::refserver {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

void spin_cpu(double seconds) {
  if (seconds <= 0) return;
  const double until = thread_cpu_seconds() + seconds;
  while (thread_cpu_seconds() < until) {
  }
}

}  // namespace voxperf::refserver
