// voxperf_bench --records-dir DIR: every request of every measured window, one JSON line each, in
// DIR/<case>.jsonl (the case name with '/' as '_'), like genai-perf's profile_export.json: the raw material
// of every figure, for checking a figure by hand or against a server's own log. Times are nanoseconds of
// the monotonic clock (CLOCK_MONOTONIC, which steady_clock reads), so a server on the same host that logs
// CLOCK_MONOTONIC (Python's time.monotonic_ns) can be matched to the nanosecond; request_id is the
// X-Request-Id the request carried (HTTP pipelines). Prompts, audio and secrets are not written.
#pragma once

#include <filesystem>
#include <mutex>
#include <span>
#include <string>

#include "harness/request_record.h"

namespace voxperf::bench {

class RecordExport {
 public:
  explicit RecordExport(std::filesystem::path dir);  // creates it; throws InputError when it can not
  // Appends the window's records to the case's file; `side` is "" or the A/B baseline's prefix.
  void write(const std::string& case_name, const std::string& side, std::span<const RequestRecord> records);

  // The one export of this run, if --records-dir was given (null otherwise).
  static RecordExport* active();
  static void activate(RecordExport* exporter);

 private:
  std::filesystem::path dir_;
  std::mutex mutex_;
};

}  // namespace voxperf::bench
