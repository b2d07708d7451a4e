// Faults the reference server injects on purpose, so the regression gate can be shown to catch a known
// regression. All off by default. Fractions pick requests deterministically, in arrival order: with fraction
// f, exactly floor(n*f) of the first n requests are picked, so a test of n requests knows how many fail.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace voxperf::refserver {

struct FaultPlan {
  // Added inside the engine slot, as a slower model would: before the first response, and before each later
  // response (TTS audio chunk, ASR interim or final result).
  std::chrono::microseconds first_response_delay{0};  // flags take fractional ms: 1.5 ms is 10 % of a 15 ms P99
  std::chrono::microseconds chunk_delay{0};
  double error_fraction = 0;  // requests failed at once with error_code
  int error_code = 14;        // UNAVAILABLE
  double stall_fraction = 0;  // streams that send their first response and then nothing, until cancelled
  double drop_fraction = 0;   // streams whose TCP connection is closed after their first response
  double slowdown = 1;        // > 1: every piece of engine work costs this many times its CPU time, as on a
                              // machine that much slower (server/cpu_slowdown.h)

  bool any() const;
  std::string describe() const;  // "none" or "first+200ms error=0.1:UNAVAILABLE ..." for the start log line
};

// Picks a fraction of the calls to next(), spread evenly: call k (from 0) is picked when
// floor((k+1)*f) > floor(k*f).
class FractionPicker {
 public:
  explicit FractionPicker(double fraction) : fraction_(fraction) {}
  bool next();

 private:
  double fraction_;
  std::atomic<std::uint64_t> calls_{0};
};

// Parses a gRPC status code given by name ("UNAVAILABLE") or number ("14"); throws InputError naming `flag`.
int parse_status_code(const std::string& text, const std::string& flag);

}  // namespace voxperf::refserver
