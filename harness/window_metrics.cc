#include "harness/window_metrics.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "harness/token_metrics.h"

namespace voxperf {

double WindowMetrics::mean_real_time_factor() const {
  if (real_time_factors.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::accumulate(real_time_factors.begin(), real_time_factors.end(), 0.0) /
         static_cast<double>(real_time_factors.size());
}

double WindowMetrics::late_chunk_fraction() const {
  if (chunk_lag.count() == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(late_chunks) / static_cast<double>(chunk_lag.count());
}

WindowMetrics summarize_window(std::span<const RequestRecord> records, const Window& window, const Slo& slo) {
  WindowMetrics m;
  m.requests = records.size();
  double audio = 0.0;
  std::size_t chars = 0;
  if (!slo.empty()) m.good_requests = 0;

  for (const auto& r : records) {
    if (!r.sent) {
      ++m.unsent;
      ++m.errors_by_status[status_code_name(Status::kUnsent)];
      continue;
    }
    if (const auto lag = schedule_lag(r)) m.schedule_lag.record(*lag);
    if (!r.chunk_lag_us.empty()) {
      m.chunk_period_ms = std::max(m.chunk_period_ms, std::chrono::duration<double, std::milli>(r.chunk_period).count());
      for (const auto lag : chunk_lags(r)) {
        m.chunk_lag.record(lag);
        m.late_chunks += lag > r.chunk_period;
      }
    }
    if (!r.status.ok()) {
      ++m.failed;
      // In-band errors (a stream's per-request error_message) are counted by their class, not their code.
      ++m.errors_by_status[r.status.error_class.empty() ? status_code_name(r.status.code) : r.status.error_class];
      continue;
    }
    ++m.completed;
    if (const auto v = request_latency(r, window.model)) m.latency.record(*v);
    if (const auto v = time_to_first_audio(r, window.model)) m.ttfa.record(*v);
    if (const auto v = time_to_first_byte(r, window.model)) m.ttfb.record(*v);
    for (const auto gap : inter_chunk_gaps(r)) m.inter_chunk.record(gap);
    if (const auto v = server_tail(r)) m.server_tail.record(*v);
    if (const auto v = first_partial(r)) m.first_partial.record(*v);
    if (const auto v = real_time_factor(r)) m.real_time_factors.push_back(*v);
    if (!r.reference.empty()) m.word_errors += word_errors(r.reference, final_transcript(r));
    audio += audio_seconds(r);
    chars += r.text_chars;
    m.sequences_ended += r.ends_sequence;
    if (m.good_requests && meets_slo(r, window.model, slo)) ++*m.good_requests;
    if (const auto ttft = time_to_first_token(r, window.model)) {
      m.ttft.record(*ttft);
      if (const auto v = time_to_second_token(r)) m.ttst.record(*v);
      if (const auto v = inter_token_latency(r)) m.itl.record(*v);
      if (const auto v = time_per_output_token(r, window.model)) m.tpot.record(*v);
      if (const auto v = tokens_per_second_per_user(r)) m.tokens_per_second_per_user.push_back(*v);
      const std::size_t osl = output_sequence_length(r);
      m.output_lengths.push_back(static_cast<double>(osl));
      m.input_lengths.push_back(static_cast<double>(input_sequence_length(r)));
      m.output_tokens += osl;
      m.estimated_output_lengths += output_length_estimated(r);
    }
  }
  std::sort(m.real_time_factors.begin(), m.real_time_factors.end());
  std::sort(m.output_lengths.begin(), m.output_lengths.end());
  std::sort(m.input_lengths.begin(), m.input_lengths.end());
  std::sort(m.tokens_per_second_per_user.begin(), m.tokens_per_second_per_user.end());

  m.window_seconds = window.seconds();
  if (m.window_seconds > 0.0) {
    m.throughput_rps = static_cast<double>(m.completed) / m.window_seconds;
    m.rtfx = audio / m.window_seconds;
    m.chars_per_second = static_cast<double>(chars) / m.window_seconds;
    m.sequences_per_second = static_cast<double>(m.sequences_ended) / m.window_seconds;
    m.output_tokens_per_second = static_cast<double>(m.output_tokens) / m.window_seconds;
    if (m.good_requests) m.goodput_rps = static_cast<double>(*m.good_requests) / m.window_seconds;
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
