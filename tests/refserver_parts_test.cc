// The reference server's small parts, without a server: admission, fault picking, profiles, text segments,
// resampling.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "harness/input_error.h"
#include "server/admission.h"
#include "server/cpu_slowdown.h"
#include "server/espeak_engine.h"
#include "server/fault_plan.h"
#include "server/profile.h"
#include "server/resampler.h"

namespace voxperf::refserver {
namespace {

TEST(Admission, AdmitsUpToCapacityThenQueuesInArrivalOrder) {
  Admission admission(2);
  std::vector<int> admitted;
  for (int i = 0; i < 5; ++i) admission.enter([&admitted, i] { admitted.push_back(i); });
  EXPECT_EQ(admitted, (std::vector<int>{0, 1}));
  auto stats = admission.stats();
  EXPECT_EQ(stats.active, 2u);
  EXPECT_EQ(stats.queued, 3u);
  admission.leave();  // the slot passes to request 2
  EXPECT_EQ(admitted, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(admission.stats().active, 2u);
  for (int i = 0; i < 4; ++i) admission.leave();
  EXPECT_EQ(admitted, (std::vector<int>{0, 1, 2, 3, 4}));
  stats = admission.stats();
  EXPECT_EQ(stats.active, 0u);
  EXPECT_EQ(stats.peak_active, 2u);
  EXPECT_EQ(stats.peak_queued, 3u);
  EXPECT_EQ(stats.admitted, 5u);
}

TEST(FractionPicker, PicksExactlyTheFractionSpreadEvenly) {
  FractionPicker quarter(0.25);
  std::vector<int> picked;
  for (int i = 0; i < 12; ++i) {
    if (quarter.next()) picked.push_back(i);
  }
  EXPECT_EQ(picked, (std::vector<int>{3, 7, 11}));
  FractionPicker none(0), all(1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(none.next());
    EXPECT_TRUE(all.next());
  }
}

TEST(FaultPlan, StatusCodesByNameOrNumber) {
  EXPECT_EQ(parse_status_code("UNAVAILABLE", "--x"), 14);
  EXPECT_EQ(parse_status_code("8", "--x"), 8);
  EXPECT_THROW(parse_status_code("OK", "--x"), InputError);
  EXPECT_THROW(parse_status_code("17", "--x"), InputError);
  FaultPlan plan;
  EXPECT_EQ(plan.describe(), "none");
  plan.first_response_delay = std::chrono::milliseconds(250);
  plan.error_fraction = 0.1;
  EXPECT_EQ(plan.describe(), "first+250ms error=0.1:UNAVAILABLE");
  plan.slowdown = 3;
  EXPECT_EQ(plan.describe(), "first+250ms error=0.1:UNAVAILABLE slowdown=3");
}

// CPU time, not wall time: a loaded machine makes both the work and the stretch take longer in wall time, but
// the stretch is a lower bound on the thread's own CPU time, which load can not break.
TEST(CpuSlowdown, WorkCostsTheFactorTimesItsCpuTime) {
  double work_cpu = 0;
  const double start = thread_cpu_seconds();
  slowed(3.0, [&] {
    const double work_start = thread_cpu_seconds();
    spin_cpu(0.02);
    work_cpu = thread_cpu_seconds() - work_start;
  });
  EXPECT_GE(thread_cpu_seconds() - start, 3.0 * work_cpu);
  bool ran = false;
  slowed(1.0, [&] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(Profile, ParsesBatchSizeProfiles) {
  EXPECT_EQ(parse_profile("bs8").max_batch, 8);
  EXPECT_EQ(parse_profile("bs64").max_batch, 64);
  EXPECT_EQ(parse_profile("default").max_batch, 16);
  for (const char* bad : {"bs0", "bs", "bs8x", "batch8", "bs2000", ""}) {
    EXPECT_THROW(parse_profile(bad), InputError) << bad;
  }
}

TEST(SplitSegments, BreaksAtClausePunctuationFollowedBySpace) {
  EXPECT_EQ(split_segments("Hello, world. It is 3.5 degrees!  Bye"),
            (std::vector<std::string>{"Hello,", "world.", "It is 3.5 degrees!", "Bye"}));
  EXPECT_EQ(split_segments("   "), std::vector<std::string>{});
}

TEST(Resampler, KeepsDurationAndPitch) {
  // One second of a 440 Hz tone at 22050 Hz, fed in 200 ms pieces, to 16000 Hz.
  std::vector<std::int16_t> tone(22050);
  for (std::size_t i = 0; i < tone.size(); ++i) {
    tone[i] = static_cast<std::int16_t>(10000 * std::sin(2 * std::numbers::pi * 440 * static_cast<double>(i) / 22050));
  }
  Resampler resampler(22050, 16000);
  std::vector<std::int16_t> out;
  for (std::size_t at = 0; at < tone.size(); at += 4410) {
    resampler.process(std::span(tone).subspan(at, std::min<std::size_t>(4410, tone.size() - at)), out);
  }
  resampler.flush(out);
  EXPECT_NEAR(static_cast<double>(out.size()), 16000.0, 2.0);
  int crossings = 0;  // rising zero crossings in the middle 0.5 s: 220 at 440 Hz
  for (std::size_t i = 4001; i < 12000; ++i) crossings += out[i - 1] < 0 && out[i] >= 0;
  EXPECT_NEAR(crossings, 220, 1);

  Resampler same(16000, 16000);
  std::vector<std::int16_t> copied;
  same.process(std::span(tone).first(100), copied);
  same.flush(copied);
  EXPECT_EQ(copied, std::vector<std::int16_t>(tone.begin(), tone.begin() + 100));
}

}  // namespace
}  // namespace voxperf::refserver
