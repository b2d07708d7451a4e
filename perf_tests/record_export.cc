#include "perf_tests/record_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "harness/input_error.h"

namespace voxperf::bench {
namespace {

RecordExport* g_active = nullptr;

long long ns(TimePoint t) { return std::chrono::duration_cast<Nanos>(t.time_since_epoch()).count(); }

const char* kind_name(ResponseKind kind) {
  switch (kind) {
    case ResponseKind::kAudio: return "audio";
    case ResponseKind::kPartial: return "partial";
    case ResponseKind::kFinal: return "final";
    case ResponseKind::kText: return "text";
    case ResponseKind::kEmpty: return "empty";
  }
  return "?";
}

}  // namespace

RecordExport::RecordExport(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error || !std::filesystem::is_directory(dir_)) {
    throw InputError("--records-dir " + dir_.string() + ": can not create it (" + error.message() + ")");
  }
}

RecordExport* RecordExport::active() { return g_active; }
void RecordExport::activate(RecordExport* exporter) { g_active = exporter; }

void RecordExport::write(const std::string& case_name, const std::string& side, std::span<const RequestRecord> records) {
  std::string file = case_name + ".jsonl";
  std::replace(file.begin(), file.end(), '/', '_');
  std::lock_guard lock(mutex_);
  std::ofstream out(dir_ / file, std::ios::app);
  for (const auto& r : records) {
    nlohmann::json line = {{"case", case_name}, {"index", r.index}, {"item", r.item},
                           {"status", status_code_name(r.status.code)}, {"intended_ns", ns(r.intended_start)}};
    if (!side.empty()) line["side"] = side;
    if (!r.request_id.empty()) line["request_id"] = r.request_id;
    if (!r.status.error_class.empty()) line["error_class"] = r.status.error_class;
    if (r.sent) line["sent_ns"] = ns(*r.sent);
    if (r.end) line["end_ns"] = ns(*r.end);
    if (r.first_byte) line["first_byte_ns"] = ns(*r.first_byte);  // HTTP: the first body byte (TTFB)
    if (r.input_tokens) line["input_tokens"] = *r.input_tokens;
    if (r.output_tokens) line["output_tokens"] = *r.output_tokens;
    nlohmann::json responses = nlohmann::json::array();
    for (const auto& e : r.responses) responses.push_back({ns(e.at), kind_name(e.kind), e.bytes});
    line["responses"] = std::move(responses);
    out << line.dump() << '\n';
  }
  if (!out) throw InputError("--records-dir " + dir_.string() + ": can not write " + file);
}

}  // namespace voxperf::bench
