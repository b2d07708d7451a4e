// The sweep's progress lines, on a clock the test moves.
#include <gtest/gtest.h>

#include <sstream>

#include "perf_tests/sweep_progress.h"

namespace voxperf::bench {
namespace {

using namespace std::chrono_literals;

TEST(SweepProgress, SaysWhichWindowStartsWithElapsedAndEstimatedTimeLeft) {
  ManualClock clock;
  std::ostringstream out;
  SweepProgress progress(out, /*live=*/false, clock);
  progress.set_total(4);
  progress.start("TTS/m/bs8/stream/c:1");
  clock.advance(10s);
  progress.start("TTS/m/bs8/stream/c:8");
  clock.advance(30s);
  progress.start("TTS/m/bs8/batch/c:1");  // two windows in 40 s: 20 s each, two to come
  EXPECT_EQ(out.str(),
            "voxperf_bench: [1/4] TTS/m/bs8/stream/c:1\n"
            "voxperf_bench: [2/4] TTS/m/bs8/stream/c:8 (elapsed 10s, about 30s left)\n"
            "voxperf_bench: [3/4] TTS/m/bs8/batch/c:1 (elapsed 40s, about 40s left)\n");
}

TEST(SweepProgress, DurationsReadAsAPersonWritesThem) {
  EXPECT_EQ(duration_text(0.4), "0s");
  EXPECT_EQ(duration_text(59.6), "1m00s");
  EXPECT_EQ(duration_text(187), "3m07s");
  EXPECT_EQ(duration_text(3725), "1h02m");
}

}  // namespace
}  // namespace voxperf::bench
