// A slower machine, emulated inside the reference server: after each piece of engine work, the thread that
// did it spins for (factor - 1) times the CPU time the work took. Work then costs `factor` times its CPU time,
// with the queueing and core contention that follow, as on hardware `factor` times slower. It exists to show
// that the gate's self-tests hold on slower machines (voxperf-refserver --fault-slowdown; README, "Regression
// gate").
#pragma once

namespace voxperf::refserver {

double thread_cpu_seconds();  // CPU time of the calling thread

// Spins on the calling thread until it has used `seconds` more CPU time (nothing for seconds <= 0).
void spin_cpu(double seconds);

// Runs `work`, then stretches it to `factor` times its CPU time (factor <= 1: just runs it).
template <class Work>
void slowed(double factor, Work&& work) {
  if (factor <= 1.0) {
    work();
    return;
  }
  const double start = thread_cpu_seconds();
  work();
  spin_cpu((factor - 1.0) * (thread_cpu_seconds() - start));
}

}  // namespace voxperf::refserver
