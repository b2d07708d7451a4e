#include "harness/window_metrics.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace voxperf {

double WindowMetrics::mean_real_time_factor() const {
  if (real_time_factors.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::accumulate(real_time_factors.begin(), real_time_factors.end(), 0.0) /
         static_cast<double>(real_time_factors.size());
}

WindowMetrics summarize_window(std::span<const RequestRecord> records, const Window& window) {
  WindowMetrics m;
  m.requests = records.size();
  double audio = 0.0;
  std::size_t chars = 0;

  for (const auto& r : records) {
    if (!r.sent) {
      ++m.unsent;
      ++m.errors_by_status[status_code_name(Status::kUnsent)];
      continue;
    }
    if (const auto lag = schedule_lag(r)) m.schedule_lag.record(*lag);
    if (!r.status.ok()) {
      ++m.failed;
      // In-band errors (a stream's per-request error_message) are counted by their class, not their code.
      ++m.errors_by_status[r.status.error_class.empty() ? status_code_name(r.status.code) : r.status.error_class];
      continue;
    }
    ++m.completed;
    if (const auto v = request_latency(r, window.model)) m.latency.record(*v);
    if (const auto v = time_to_first_audio(r, window.model)) m.ttfa.record(*v);
    for (const auto gap : inter_chunk_gaps(r)) m.inter_chunk.record(gap);
    if (const auto v = server_tail(r)) m.server_tail.record(*v);
    if (const auto v = first_partial(r)) m.first_partial.record(*v);
    if (const auto v = real_time_factor(r)) m.real_time_factors.push_back(*v);
    if (!r.reference.empty()) m.word_errors += word_errors(r.reference, final_transcript(r));
    audio += audio_seconds(r);
    chars += r.text_chars;
    m.sequences_ended += r.ends_sequence;
  }
  std::sort(m.real_time_factors.begin(), m.real_time_factors.end());

  m.window_seconds = window.seconds();
  if (m.window_seconds > 0.0) {
    m.throughput_rps = static_cast<double>(m.completed) / m.window_seconds;
    m.rtfx = audio / m.window_seconds;
    m.chars_per_second = static_cast<double>(chars) / m.window_seconds;
    m.sequences_per_second = static_cast<double>(m.sequences_ended) / m.window_seconds;
  }
  return m;
}

Window merged_window(std::span<const Window> windows) {
  if (windows.empty()) return {};
  Window out = windows.front();
  Nanos total{0};
  for (const auto& w : windows) total += w.end - w.start;
  out.end = out.start + total;
  return out;
}

}  // namespace voxperf
