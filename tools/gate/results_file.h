// A voxperf_bench results file (Google Benchmark JSON, --benchmark_out) as the gate reads it: per case the
// per-repetition values of every counter, its label, and the fingerprint of what was measured.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace voxperf::gate {

// What must match between a baseline and a run for their numbers to be comparable: voxperf's version, each
// target's settings (data files by name, since checkouts live in different folders), each server's config
// answer and the GPU ("none" without one). Keys as in the results' context ("target TTS/Magpie/bs64" ...).
using Fingerprint = std::map<std::string, std::string>;

struct CaseResults {
  std::map<std::string, std::vector<double>> counters;  // per repetition, in the order run
  std::vector<std::string> labels;                       // non-empty labels ("FAILED: errors 2 (...)")
  std::vector<std::string> skipped;                      // Google Benchmark error messages (SkipWithError)
  std::size_t repetitions = 0;
  // A/B runs: per repetition, the per-request samples (ms) of each family, keyed like the counters
  // ("latency", "baseline.latency"); read from the samples file beside the results (read_samples).
  std::map<std::string, std::vector<std::vector<double>>> samples;
};

struct Results {
  std::filesystem::path path;
  Fingerprint fingerprint;
  std::string injected_faults;  // voxperf_bench --inject-fault, "" when none
  std::map<std::string, CaseResults> cases;  // by case name, "TTS/Magpie/bs64/stream/c:32"
};

// The case name of a Google Benchmark run name: "/iterations:1", "/manual_time", "/repeats:5" and the like
// taken off.
std::string case_name_of(const std::string& run_name);

// Throws InputError naming the file and what is wrong. Aggregate rows (mean, median ...) are skipped: the
// gate works on repetitions. Accepts the bare NaN / Infinity that Google Benchmark writes for such counters.
Results read_results(const std::filesystem::path& path);

// The per-request samples file of an A/B run (harness/request_samples.h) into `results`. Throws InputError
// naming the file and line when a line is not as voxperf_bench writes it or names a case the results lack.
void read_samples(Results& results, const std::filesystem::path& path);

// More repetitions of the same run (a sequential A/B gate's later looks): each case's repetitions, counters
// and samples appended in order. Throws InputError when the fingerprints differ.
void append_results(Results& into, const Results& more);

}  // namespace voxperf::gate
