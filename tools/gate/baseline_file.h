// A stored baseline (baselines/<suite>/<target set>.json): for one suite (the cases matching its filter) of
// one target set, per case and counter the per-repetition values of the last accepted runs, oldest first,
// and the fingerprint of what they measured. Written one run per line so that a refresh reads well in a diff:
//
//   "TTS/espeak-ng/bs8/stream/c:8": {
//     "ttfa_mean_ms": [
//       [14.2, 13.9, 14.5, 14.1, 14.0],
//       [14.6, 14.3, 14.4, 14.8, 14.2]
//     ],
//     ...
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tools/gate/results_file.h"

namespace voxperf::gate {

using RunHistory = std::vector<std::vector<double>>;  // accepted runs, oldest first; each its repetitions

struct Baseline {
  std::string suite;       // "riva-tts"
  std::string target_set;  // "refserver-gate": the targets file's stem
  std::string filter;      // regex (Google Benchmark --benchmark_filter) of the suite's case names
  Fingerprint fingerprint;
  std::vector<std::string> accepted;  // one line per accepted run: when, and from which results file
  std::map<std::string, std::map<std::string, RunHistory>> cases;  // case -> counter -> history
};

// Throws InputError naming the file and field.
Baseline read_baseline(const std::filesystem::path& path);

std::string baseline_text(const Baseline& baseline);

// Writes a temporary file beside `path`, flushes it to disk and renames it over `path`: a crash leaves the old
// baseline or the new one, never half of one. Throws InputError when it can not.
void write_baseline(const std::filesystem::path& path, const Baseline& baseline);

}  // namespace voxperf::gate
