// GPU telemetry without a GPU: NVML through a fake function table (normal readings, MIG, unsupported fields,
// init failure), a missing library, the window statistics, and the sampler thread.
#include <gtest/gtest.h>

#include "fake_nvml.h"
#include "harness/telemetry/gpu_sampler.h"
#include "harness/telemetry/gpu_stats.h"
#include "harness/telemetry/nvml_source.h"

namespace voxperf::telemetry {
namespace {

using testing::FakeGpu;
using testing::FakeNvml;

class FakeNvmlTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::fake() = &nvml_; }
  void TearDown() override { testing::fake() = nullptr; }
  FakeNvml nvml_;
};

TEST_F(FakeNvmlTest, ReadsEveryFieldOfEachGpu) {
  FakeGpu gpu;
  gpu.utilization = 68;
  gpu.memory_used = 16490ull << 20;
  gpu.temperature = 42;
  gpu.power_mw = 447'123;
  gpu.sm_clock = 1980;
  nvml_.gpus = {gpu, FakeGpu{}};
  {
    NvmlSource source(testing::fake_nvml_api());
    EXPECT_EQ(source.gpus(), 2u);
    const auto readings = source.read();
    ASSERT_EQ(readings.size(), 2u);
    const auto& r = readings[0];
    EXPECT_EQ(r.name, "NVIDIA H100 80GB HBM3");
    EXPECT_EQ(r.utilization_pct, 68);
    EXPECT_EQ(r.memory_used_mib, 16490);
    EXPECT_EQ(r.memory_total_mib, 80 * 1024);
    EXPECT_EQ(r.temperature_c, 42);
    EXPECT_DOUBLE_EQ(*r.power_w, 447.123);
    EXPECT_EQ(r.sm_clock_mhz, 1980);
    EXPECT_FALSE(r.mig);
    EXPECT_EQ(readings[1].id, "1");
  }
  EXPECT_EQ(nvml_.shutdowns, 1) << "NVML is shut down with the source";
}

TEST_F(FakeNvmlTest, MigInstancesReportTheirMemoryAndUtilizationIsNotAvailableNeverZero) {
  FakeGpu gpu;
  gpu.mig = true;
  gpu.memory_used = 30ull << 30;
  gpu.instances = {{0, 10ull << 30, 40ull << 30}, {2, 20ull << 30, 40ull << 30}};  // two 3g.40gb, slot 1 empty
  nvml_.gpus = {gpu};
  NvmlSource source(testing::fake_nvml_api());
  const auto readings = source.read();
  ASSERT_EQ(readings.size(), 1u);
  EXPECT_TRUE(readings[0].mig);
  EXPECT_FALSE(readings[0].utilization_pct.has_value()) << "n/a, not 0";
  ASSERT_EQ(readings[0].mig_devices.size(), 2u);
  EXPECT_EQ(readings[0].mig_devices[0].memory_used_mib, 10 * 1024);
  EXPECT_EQ(readings[0].mig_devices[1].index, 2u);
  EXPECT_EQ(readings[0].mig_devices[1].memory_total_mib, 40 * 1024);

  const std::vector<std::vector<GpuReading>> samples{readings, readings};
  const GpuStats stats = summarize_gpu(samples);
  EXPECT_EQ(stats.gpus, "NVIDIA H100 80GB HBM3 (MIG)");
  EXPECT_FALSE(stats.utilization_pct.peak.has_value());
  EXPECT_EQ(stats.mig_memory_mib.at("GPU 0 MIG 2").peak, 20 * 1024);
}

TEST_F(FakeNvmlTest, UnsupportedFieldsAreEmpty) {
  FakeGpu gpu;
  gpu.power_supported = false;
  nvml_.gpus = {gpu};
  NvmlSource source(testing::fake_nvml_api());
  const auto r = source.read().at(0);
  EXPECT_FALSE(r.power_w.has_value());
  EXPECT_TRUE(r.temperature_c.has_value());
}

TEST_F(FakeNvmlTest, AFailedInitMeansNoGpusAndSaysWhy) {
  nvml_.init_result = 9;  // NVML_ERROR_DRIVER_NOT_LOADED
  nvml_.gpus = {FakeGpu{}};
  NvmlSource source(testing::fake_nvml_api());
  EXPECT_TRUE(source.read().empty());
  EXPECT_EQ(source.problem(), "nvmlInit failed: Driver Not Loaded");
  EXPECT_EQ(nvml_.shutdowns, 0);
}

TEST(Nvml, AMissingLibraryIsNotAnError) {
  const LoadedNvml loaded = load_nvml("libvoxperf-no-such-nvml.so.1");
  EXPECT_FALSE(loaded.api.has_value());
  EXPECT_NE(loaded.problem.find("libvoxperf-no-such-nvml.so.1"), std::string::npos) << loaded.problem;
  // This machine's own NVML, whatever it has: never a crash; without a driver, no GPUs and a reason.
  auto system = NvmlSource::open_system();
  if (system->gpus() == 0) {
    EXPECT_FALSE(system->problem().empty());
  }
}

TEST(GpuStats, PeakAndMeanOverSamplesWithGpusCombinedPerSample) {
  auto reading = [](double util, double memory, double temperature, double power) {
    GpuReading r;
    r.name = "GPU";
    r.utilization_pct = util;
    r.memory_used_mib = memory;
    r.temperature_c = temperature;
    r.power_w = power;
    return r;
  };
  const std::vector<std::vector<GpuReading>> samples{
      {reading(10, 1000, 30, 100), reading(30, 2000, 40, 200)},  // util 20, memory 3000, temp 40, power 300
      {reading(70, 1500, 35, 150), reading(90, 2500, 45, 250)},  // util 80, memory 4000, temp 45, power 400
  };
  const GpuStats stats = summarize_gpu(samples);
  EXPECT_EQ(stats.samples, 2u);
  EXPECT_EQ(stats.utilization_pct.peak, 80);
  EXPECT_EQ(stats.utilization_pct.mean, 50);
  EXPECT_EQ(stats.memory_used_mib.peak, 4000);
  EXPECT_EQ(stats.temperature_c.peak, 45);
  EXPECT_EQ(stats.power_w.mean, 350);
  EXPECT_FALSE(stats.sm_clock_mhz.peak.has_value());
  EXPECT_TRUE(summarize_gpu({}).gpus.empty());
}

// A source that counts its reads.
class CountingSource final : public GpuSource {
 public:
  std::string describe() const override { return "counting"; }
  std::vector<GpuReading> read() override {
    GpuReading r;
    r.utilization_pct = static_cast<double>(++reads);
    return {r};
  }
  int reads = 0;
};

TEST(GpuSampler, ReadsAtStartAndStopAndInBetween) {
  CountingSource source;
  GpuSampler sampler(source, std::chrono::milliseconds(1));
  sampler.start();
  const auto samples = sampler.stop();
  ASSERT_GE(samples.size(), 2u);
  EXPECT_EQ(samples.front().at(0).utilization_pct, 1);
  EXPECT_EQ(samples.back().at(0).utilization_pct, source.reads);
  sampler.start();  // reusable for the next window
  EXPECT_GE(sampler.stop().size(), 2u);
}

}  // namespace
}  // namespace voxperf::telemetry
