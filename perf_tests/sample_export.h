// voxperf_bench --ab-baseline with --benchmark_out=R.json also writes R.samples.jsonl: every measured
// level's per-request samples by family and side (harness/request_samples.h), which the A/B gate pools
// over repetitions to compare tails and means request by request (tools/gate/paired_randomization.h).
#pragma once

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

#include "harness/window_metrics.h"

namespace voxperf::bench {

class SampleExport {
 public:
  explicit SampleExport(const std::filesystem::path& path);  // truncates it; throws InputError when it can not
  // One line: the level's samples; `side` is "" or the A/B baseline's prefix.
  void write(const std::string& case_name, const std::string& side, const WindowMetrics& metrics);

  // The one export of this run (null when none).
  static SampleExport* active();
  static void activate(SampleExport* exporter);

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  std::mutex mutex_;
};

}  // namespace voxperf::bench
