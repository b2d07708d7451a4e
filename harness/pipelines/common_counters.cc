#include "harness/pipelines/common_counters.h"

#include <cmath>
#include <cstdio>

namespace voxperf {

std::vector<CounterSpec> common_counters() {
  auto count = [](std::size_t n) { return static_cast<double>(n); };
  return {
      {"requests", [=](const WindowMetrics& m) { return count(m.requests); }},
      {"errors", [=](const WindowMetrics& m) { return count(m.errors()); }},
      {"unsent", [=](const WindowMetrics& m) { return count(m.unsent); }},
      {"latency_mean_ms", [](const WindowMetrics& m) { return m.latency.mean_ms(); }},
      {"latency_p50_ms", [](const WindowMetrics& m) { return m.latency.percentile_ms(50); }},
      {"latency_p90_ms", [](const WindowMetrics& m) { return m.latency.percentile_ms(90); }},
      {"latency_p95_ms", [](const WindowMetrics& m) { return m.latency.percentile_ms(95); }},
      {"latency_p99_ms", [](const WindowMetrics& m) { return m.latency.percentile_ms(99); }},
      {"throughput_rps", [](const WindowMetrics& m) { return m.throughput_rps; }},
      // Requests per second that met every bound of the target's slo (none set: left out).
      {"goodput_rps", [](const WindowMetrics& m) { return m.good_requests ? m.goodput_rps : NAN; }},
      {"schedule_lag_p99_ms", [](const WindowMetrics& m) { return m.schedule_lag.percentile_ms(99); }},
      // How the level was measured (harness/stability.h); stable and over_latency_threshold only when asked for.
      {"windows", [=](const WindowMetrics& m) { return count(m.windows); }},
      {"stable", [](const WindowMetrics& m) { return m.stable ? (*m.stable ? 1.0 : 0.0) : NAN; }},
      {"over_latency_threshold",
       [](const WindowMetrics& m) { return m.over_latency_threshold ? (*m.over_latency_threshold ? 1.0 : 0.0) : NAN; }},
      // Paced streams only: 1 when the client fell behind its real-time schedule (the level is invalid).
      {"over_chunk_lag_budget",
       [](const WindowMetrics& m) { return m.over_chunk_lag_budget ? (*m.over_chunk_lag_budget ? 1.0 : 0.0) : NAN; }},
  };
}

std::string number_cell(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

ColumnSpec latency_mean_column() {
  return {"Mean (ms)", [](const WindowMetrics& m) { return number_cell(m.latency.mean_ms(), 1); }};
}

ColumnSpec latency_percentile_column(int percentile) {
  return {"P" + std::to_string(percentile) + " (ms)",
          [percentile](const WindowMetrics& m) { return number_cell(m.latency.percentile_ms(percentile), 1); }};
}

ColumnSpec throughput_column() {
  return {"Throughput (r/s)", [](const WindowMetrics& m) { return number_cell(m.throughput_rps, 2); }};
}

ColumnSpec stable_column() {
  return {"Stable", [](const WindowMetrics& m) {
            if (m.over_latency_threshold.value_or(false)) return std::string("over threshold");
            if (!m.stable) return std::string("n/a");
            return std::string(*m.stable ? "yes" : "NO") + " (" + std::to_string(m.windows) + " windows)";
          }};
}

ColumnSpec rtfx_column() {
  return {"RTFX", [](const WindowMetrics& m) { return number_cell(m.rtfx, 1) + "x"; }};
}

ColumnSpec wer_column() {
  return {"WER", [](const WindowMetrics& m) {
            const double rate = m.word_errors.rate();
            return std::isnan(rate) ? std::string("n/a") : number_cell(100.0 * rate, 2) + "%";
          }};
}

}  // namespace voxperf
