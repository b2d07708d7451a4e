#include "harness/request_metrics.h"

#include <algorithm>

namespace voxperf {
namespace {

bool carries_content(const ResponseEvent& e) { return e.kind != ResponseKind::kEmpty; }

}  // namespace

std::optional<TimePoint> latency_origin(const RequestRecord& r, LoadModel model) {
  if (!r.sent) return std::nullopt;
  return model == LoadModel::kOpenLoop ? r.intended_start : *r.sent;
}

std::optional<Nanos> request_latency(const RequestRecord& r, LoadModel model) {
  const auto origin = latency_origin(r, model);
  if (!origin) return std::nullopt;
  if (!r.responses.empty()) return r.responses.back().at - *origin;
  if (r.end) return *r.end - *origin;
  return std::nullopt;
}

std::optional<Nanos> time_to_first_audio(const RequestRecord& r, LoadModel model) {
  const auto origin = latency_origin(r, model);
  if (!origin) return std::nullopt;
  const auto first = std::find_if(r.responses.begin(), r.responses.end(),
                                  [](const ResponseEvent& e) { return e.kind == ResponseKind::kAudio; });
  if (first == r.responses.end()) return std::nullopt;
  return first->at - *origin;
}

std::optional<Nanos> time_to_first_byte(const RequestRecord& r, LoadModel model) {
  const auto origin = latency_origin(r, model);
  if (!origin || !r.first_byte) return std::nullopt;
  return *r.first_byte - *origin;
}

std::vector<Nanos> inter_chunk_gaps(const RequestRecord& r) {
  std::vector<Nanos> gaps;
  const ResponseEvent* previous = nullptr;
  for (const auto& e : r.responses) {
    if (!carries_content(e)) continue;
    if (previous) gaps.push_back(e.at - previous->at);
    previous = &e;
  }
  return gaps;
}

std::optional<Nanos> server_tail(const RequestRecord& r) {
  if (!r.last_chunk_sent) return std::nullopt;
  const ResponseEvent* last_final = nullptr;
  for (const auto& e : r.responses) {
    if (e.kind != ResponseKind::kFinal) continue;
    if (e.at >= *r.last_chunk_sent) return e.at - *r.last_chunk_sent;
    last_final = &e;
  }
  if (last_final) return last_final->at - *r.last_chunk_sent;
  return std::nullopt;
}

std::optional<Nanos> first_partial(const RequestRecord& r) {
  if (!r.first_chunk_sent) return std::nullopt;
  for (const auto& e : r.responses) {
    if (e.kind == ResponseKind::kPartial && !e.text.empty()) return e.at - *r.first_chunk_sent;
  }
  return std::nullopt;
}

std::string final_transcript(const RequestRecord& r) {
  std::string text;
  for (const auto& e : r.responses) {
    if (e.kind == ResponseKind::kFinal) text += e.text;
  }
  return text;
}

double audio_seconds(const RequestRecord& r) {
  double seconds = r.audio_seconds_in;
  for (const auto& e : r.responses) {
    if (e.kind == ResponseKind::kAudio) seconds += e.audio_seconds;
  }
  return seconds;
}

std::optional<double> real_time_factor(const RequestRecord& r) {
  const double audio = audio_seconds(r);
  if (!r.sent || !r.end || audio <= 0.0) return std::nullopt;
  return seconds_between(*r.sent, *r.end) / audio;
}

std::optional<Nanos> schedule_lag(const RequestRecord& r) {
  if (!r.sent) return std::nullopt;
  return *r.sent - r.intended_start;
}

std::vector<Nanos> chunk_lags(const RequestRecord& r) {
  std::vector<Nanos> out;
  out.reserve(r.chunk_lag_us.size());
  for (const auto us : r.chunk_lag_us) out.push_back(std::chrono::microseconds(us));
  return out;
}

}  // namespace voxperf
