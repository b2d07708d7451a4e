#include "perf_tests/result_table.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace voxperf::bench {
namespace {

std::string fixed(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

std::string wer_cell(const WindowMetrics& m) {
  const double rate = m.word_errors.rate();
  return std::isnan(rate) ? "n/a" : fixed(100.0 * rate, 2) + "%";
}

void counter(benchmark::State& state, const std::string& name, double value) {
  if (!std::isnan(value)) state.counters[name] = value;
}

}  // namespace

std::string errors_cell(const WindowMetrics& m) {
  if (m.errors_by_status.empty()) return "0";
  std::string cell = std::to_string(m.errors());
  const char* separator = " (";
  for (const auto& [status, count] : m.errors_by_status) {
    cell += separator + status + " " + std::to_string(count);
    separator = ", ";
  }
  return cell + ")";
}

void set_counters(benchmark::State& state, const WindowMetrics& m, const std::string& prefix) {
  auto counter = [&](const char* name, double value) { bench::counter(state, prefix + name, value); };
  counter("requests", static_cast<double>(m.requests));
  counter("errors", static_cast<double>(m.errors()));
  counter("unsent", static_cast<double>(m.unsent));
  counter("throughput_rps", m.throughput_rps);
  counter("rtfx", m.rtfx);
  counter("latency_mean_ms", m.latency.mean_ms());
  counter("latency_p50_ms", m.latency.percentile_ms(50));
  counter("latency_p90_ms", m.latency.percentile_ms(90));
  counter("latency_p95_ms", m.latency.percentile_ms(95));
  counter("latency_p99_ms", m.latency.percentile_ms(99));
  counter("ttfa_mean_ms", m.ttfa.mean_ms());
  counter("ttfa_p99_ms", m.ttfa.percentile_ms(99));
  counter("inter_chunk_mean_ms", m.inter_chunk.mean_ms());
  counter("inter_chunk_p99_ms", m.inter_chunk.percentile_ms(99));
  counter("first_partial_mean_ms", m.first_partial.mean_ms());
  counter("server_tail_mean_ms", m.server_tail.mean_ms());
  counter("server_tail_p99_ms", m.server_tail.percentile_ms(99));
  counter("chars_per_s", m.chars_per_second);
  counter("wer", m.word_errors.rate());
  counter("schedule_lag_p99_ms", m.schedule_lag.percentile_ms(99));
}

void set_gpu_counters(benchmark::State& state, const telemetry::GpuStats& gpu, const std::string& prefix) {
  auto counter = [&](const char* name, const std::optional<double>& value) {
    if (value) state.counters[prefix + name] = *value;
  };
  counter("gpu_util_mean_pct", gpu.utilization_pct.mean);
  counter("gpu_util_peak_pct", gpu.utilization_pct.peak);
  counter("gpu_vram_peak_mib", gpu.memory_used_mib.peak);
  counter("gpu_power_mean_w", gpu.power_w.mean);
  counter("gpu_power_peak_w", gpu.power_w.peak);
  counter("gpu_temp_peak_c", gpu.temperature_c.peak);
}

void ResultTable::add_gpu(const std::string& target, const telemetry::GpuStats& gpu, const std::string& source) {
  auto& entry = gpu_[target];
  entry.windows.push_back(gpu);
  entry.source = source;
}

void ResultTable::add_instances(const CaseName& name, const std::vector<WindowMetrics>& instances) {
  InstancesRow row{name.concurrency, instances, 0.0, 0};
  for (const auto& m : instances) {
    row.aggregate_throughput += m.throughput_rps;
    row.errors += m.errors();
  }
  instances_[name.target() + "/" + name.mode].push_back(std::move(row));
}

void ResultTable::add(const CaseName& name, const WindowMetrics& metrics) {
  groups_[name.group()].push_back({name, metrics});
}

std::size_t ResultTable::cases_with_errors() const {
  std::size_t n = 0;
  for (const auto& [group, rows] : groups_) {
    for (const auto& row : rows) n += row.metrics.errors() > 0;
  }
  return n;
}

std::string ResultTable::markdown() const {
  std::ostringstream out;
  for (const auto& [group, rows] : groups_) {
    const bool asr = rows.front().name.pipeline == "ASR";
    const bool streaming = rows.front().name.mode == "stream";
    out << "### " << group << "\n\n";
    if (asr) {
      out << "| Concurrency | Mean (ms) | P90 (ms) | P99 (ms) | Throughput (r/s) | RTFX | First Partial (ms) | "
             "Server Tail (ms) | WER | Errors | Requests |\n"
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    } else {
      out << "| Concurrency | Mean (ms) | P99 (ms) | Throughput (r/s) | RTFX | TTFA (ms) | P99 TTFA (ms) | "
             "Inter-Chunk (ms) | Errors | Requests |\n"
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    }
    for (const auto& [name, m] : rows) {
      out << "| " << name.concurrency << " | " << fixed(m.latency.mean_ms(), 1) << " | ";
      if (asr) {
        out << fixed(m.latency.percentile_ms(90), 1) << " | " << fixed(m.latency.percentile_ms(99), 1) << " | "
            << fixed(m.throughput_rps, 2) << " | " << fixed(m.rtfx, 1) << "x | "
            << (streaming ? fixed(m.first_partial.mean_ms(), 1) : "n/a") << " | "
            << (streaming ? fixed(m.server_tail.mean_ms(), 1) : "n/a") << " | " << wer_cell(m);
      } else {
        out << fixed(m.latency.percentile_ms(99), 1) << " | " << fixed(m.throughput_rps, 2) << " | "
            << fixed(m.rtfx, 1) << "x | " << fixed(m.ttfa.mean_ms(), 1) << " | " << fixed(m.ttfa.percentile_ms(99), 1)
            << " | " << (streaming ? fixed(m.inter_chunk.mean_ms(), 1) : "n/a");
      }
      out << " | " << errors_cell(m) << " | " << m.requests << " |\n";
    }
    out << "\n";
  }
  // A group's instances at once, in the shape of the NIM report's MIG aggregate tables.
  for (const auto& [group, rows] : instances_) {
    const std::size_t n = rows.front().instances.size();
    out << "### " << group << ": " << n << " instances at once\n\n| Concurrency/inst |";
    for (const char* what : {"Mean (ms)", "P99 (ms)", "(r/s)"}) {
      for (std::size_t i = 0; i < n; ++i) out << " Inst " << i << " " << what << " |";
    }
    out << " Aggregate Throughput (r/s) | Errors |\n| ---: |";
    for (std::size_t i = 0; i < 3 * n + 2; ++i) out << " ---: |";
    out << "\n";
    for (const auto& row : rows) {
      out << "| " << row.concurrency << " |";
      for (const auto& m : row.instances) out << " " << fixed(m.latency.mean_ms(), 1) << " |";
      for (const auto& m : row.instances) out << " " << fixed(m.latency.percentile_ms(99), 1) << " |";
      for (const auto& m : row.instances) out << " " << fixed(m.throughput_rps, 2) << " |";
      out << " " << fixed(row.aggregate_throughput, 2) << " | " << row.errors << " |\n";
    }
    out << "\n";
  }
  for (const auto& [target, entry] : gpu_) {
    const auto gpu = telemetry::combine_windows(entry.windows);
    out << "### GPU: " << target << "\n\n| Metric | Peak | Mean |\n| :--- | ---: | ---: |\n";
    auto row = [&](const std::string& metric, const telemetry::PeakMean& value) {
      out << "| " << metric << " | " << fixed(value.peak.value_or(NAN), 0) << " | " << fixed(value.mean.value_or(NAN), 0)
          << " |\n";
    };
    row("GPU Utilization (%)", gpu.utilization_pct);
    row("VRAM (MiB)", gpu.memory_used_mib);
    row("Temperature (C)", gpu.temperature_c);
    row("Power Draw (W)", gpu.power_w);
    row("SM Clock (MHz)", gpu.sm_clock_mhz);
    for (const auto& [instance, memory] : gpu.mig_memory_mib) row("VRAM " + instance + " (MiB)", memory);
    out << "\n";
    if (gpu.gpus.empty()) {
      out << "No GPU readings from " << entry.source << ": every value is n/a.\n\n";
    } else {
      out << gpu.gpus << ": " << gpu.samples << " samples from " << entry.source << ".\n\n";
    }
  }
  return out.str();
}

std::string ResultTable::csv() const {
  std::ostringstream out;
  out << "case,pipeline,model,profile,mode,concurrency,requests,completed,errors,errors_by_status,"
         "latency_mean_ms,latency_p50_ms,latency_p90_ms,latency_p95_ms,latency_p99_ms,ttfa_mean_ms,ttfa_p99_ms,"
         "inter_chunk_mean_ms,inter_chunk_p99_ms,first_partial_mean_ms,server_tail_mean_ms,server_tail_p99_ms,"
         "throughput_rps,rtfx,chars_per_s,wer\n";
  auto number = [](double value) { return std::isnan(value) ? std::string() : fixed(value, 4); };
  for (const auto& [group, rows] : groups_) {
    for (const auto& [name, m] : rows) {
      std::string statuses;
      for (const auto& [status, count] : m.errors_by_status) {
        statuses += (statuses.empty() ? "" : " ") + status + "=" + std::to_string(count);
      }
      out << name.str() << ',' << name.pipeline << ',' << name.model << ',' << name.profile << ',' << name.mode << ','
          << name.concurrency << ',' << m.requests << ',' << m.completed << ',' << m.errors() << ',' << statuses;
      for (double value : {m.latency.mean_ms(), m.latency.percentile_ms(50), m.latency.percentile_ms(90),
                           m.latency.percentile_ms(95), m.latency.percentile_ms(99), m.ttfa.mean_ms(),
                           m.ttfa.percentile_ms(99), m.inter_chunk.mean_ms(), m.inter_chunk.percentile_ms(99),
                           m.first_partial.mean_ms(), m.server_tail.mean_ms(), m.server_tail.percentile_ms(99),
                           m.throughput_rps, m.rtfx, m.chars_per_second, m.word_errors.rate()}) {
        out << ',' << number(value);
      }
      out << '\n';
    }
  }
  return out.str();
}

}  // namespace voxperf::bench
