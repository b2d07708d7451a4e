#include "perf_tests/sample_export.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "harness/input_error.h"
#include "harness/request_samples.h"

namespace voxperf::bench {
namespace {
SampleExport* g_active = nullptr;
}  // namespace

SampleExport::SampleExport(const std::filesystem::path& path) : path_(path), out_(path, std::ios::trunc) {
  if (!out_) throw InputError(path.string() + ": can not write the per-request samples file");
}

SampleExport* SampleExport::active() { return g_active; }
void SampleExport::activate(SampleExport* exporter) { g_active = exporter; }

void SampleExport::write(const std::string& case_name, const std::string& side, const WindowMetrics& metrics) {
  nlohmann::json samples = nlohmann::json::object();
  for (const auto& [family, histogram] : sample_families(metrics)) {
    nlohmann::json values = nlohmann::json::array();
    // Microsecond resolution as text: 0.1 % of a 1 ms inter-token gap, and a third of the size of %.17g.
    for (double ms : histogram->values_ms()) values.push_back(std::round(ms * 1e4) / 1e4);
    samples[family] = std::move(values);
  }
  const std::string line = nlohmann::json{{"case", case_name}, {"side", side}, {"samples", samples}}.dump();
  std::lock_guard lock(mutex_);
  out_ << line << '\n';
  out_.flush();
  if (!out_) throw InputError(path_.string() + ": writing the per-request samples failed");
}

}  // namespace voxperf::bench
