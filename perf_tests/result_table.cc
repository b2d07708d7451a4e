#include "perf_tests/result_table.h"

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <set>
#include <sstream>

#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/registry.h"

namespace voxperf::bench {
namespace {

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

std::vector<CounterSpec> case_counters(const Pipeline& pipeline, const std::string& mode) {
  auto counters = common_counters();
  for (auto& own : pipeline.counters(mode)) counters.push_back(std::move(own));
  return counters;
}

void set_counters(benchmark::State& state, const WindowMetrics& m, const std::vector<CounterSpec>& counters,
                  const std::string& prefix) {
  for (const auto& spec : counters) counter(state, prefix + spec.name, spec.value(m));
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
  InstancesRow row{name.load_cell(), name.open_loop(), instances, 0.0, 0};
  for (const auto& m : instances) {
    row.aggregate_throughput += m.throughput_rps;
    row.errors += m.errors();
  }
  instances_[name.target() + "/" + name.mode + (name.open_loop() ? " (request rate)" : "")].push_back(std::move(row));
}

void ResultTable::add(const CaseName& name, const WindowMetrics& metrics, const Pipeline& pipeline) {
  groups_[name.group()].push_back({name, metrics, &pipeline});
}

std::size_t ResultTable::cases_with_errors() const {
  std::size_t n = 0;
  for (const auto& [group, rows] : groups_) {
    for (const auto& row : rows) n += row.metrics.errors() > 0;
  }
  return n;
}

namespace {

// genai-perf's console table for one case: one row per statistic, avg min max p99 p90 p75 (N/A: not a
// distribution, e.g. a throughput), under the case's name.
std::string statistics_table(const ResultTable::Row& row) {
  const auto statistics = row.pipeline->statistics(row.name.mode);
  if (statistics.empty()) return "";
  std::ostringstream out;
  out << "#### " << row.name.str() << "\n\n| Statistic | avg | min | max | p99 | p90 | p75 |\n"
      << "| :--- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  auto cell = [](double v) { return std::isnan(v) ? std::string("N/A") : number_cell(v, 2); };
  for (const auto& statistic : statistics) {
    const StatisticValues v = statistic.values(row.metrics);
    out << "| " << statistic.label << " | " << cell(v.avg) << " | " << cell(v.min) << " | " << cell(v.max) << " | "
        << cell(v.p99) << " | " << cell(v.p90) << " | " << cell(v.p75) << " |\n";
  }
  out << "\n";
  return out.str();
}

}  // namespace

std::string ResultTable::markdown() const {
  std::ostringstream out;
  for (const auto& [group, rows] : groups_) {
    const auto columns = rows.front().pipeline->columns(rows.front().name.mode);
    out << "### " << group << "\n\n";
    const std::string title = rows.front().pipeline->table_title(rows.front().name.mode);
    if (!title.empty()) out << title << "\n\n";
    out << (rows.front().name.open_loop() ? "| Request Rate |" : "| Concurrency |");
    for (const auto& column : columns) out << " " << column.header << " |";
    out << " Errors | Requests |\n|";
    for (std::size_t i = 0; i < columns.size() + 3; ++i) out << " ---: |";
    out << "\n";
    for (const auto& row : rows) {
      // Every pipeline's table marks a level that is not a settled measurement.
      const auto& m = row.metrics;
      const char* mark = m.over_latency_threshold.value_or(false) ? " (over latency threshold)"
                         : (m.stable && !*m.stable)              ? " (UNSTABLE)"
                         : m.over_chunk_lag_budget.value_or(false) ? " (CLIENT BEHIND)"
                                                                 : "";
      out << "| " << row.name.load_cell() << mark << " |";
      for (const auto& column : columns) out << " " << column.cell(row.metrics) << " |";
      out << " " << errors_cell(row.metrics) << " | " << row.metrics.requests << " |\n";
    }
    out << "\n";
    for (const auto& row : rows) out << statistics_table(row);
  }
  // A group's instances at once, in the shape of the NIM report's MIG aggregate tables.
  for (const auto& [group, rows] : instances_) {
    const std::size_t n = rows.front().instances.size();
    out << "### " << group << ": " << n << " instances at once\n\n"
        << (rows.front().open_loop ? "| Request Rate/inst |" : "| Concurrency/inst |");
    for (const char* what : {"Mean (ms)", "P99 (ms)", "(r/s)"}) {
      for (std::size_t i = 0; i < n; ++i) out << " Inst " << i << " " << what << " |";
    }
    out << " Aggregate Throughput (r/s) | Errors |\n| ---: |";
    for (std::size_t i = 0; i < 3 * n + 2; ++i) out << " ---: |";
    out << "\n";
    for (const auto& row : rows) {
      out << "| " << row.load << " |";
      for (const auto& m : row.instances) out << " " << number_cell(m.latency.mean_ms(), 1) << " |";
      for (const auto& m : row.instances) out << " " << number_cell(m.latency.percentile_ms(99), 1) << " |";
      for (const auto& m : row.instances) out << " " << number_cell(m.throughput_rps, 2) << " |";
      out << " " << number_cell(row.aggregate_throughput, 2) << " | " << row.errors << " |\n";
    }
    out << "\n";
  }
  for (const auto& search : sla_) out << sla_markdown(search);
  for (const auto& [target, entry] : gpu_) {
    const auto gpu = telemetry::combine_windows(entry.windows);
    out << "### GPU: " << target << "\n\n| Metric | Peak | Mean |\n| :--- | ---: | ---: |\n";
    auto row = [&](const std::string& metric, const telemetry::PeakMean& value) {
      out << "| " << metric << " | " << number_cell(value.peak.value_or(NAN), 0) << " | " << number_cell(value.mean.value_or(NAN), 0)
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
  // The columns: every counter any of the cases' pipelines has, in a fixed order (common ones first, then the
  // pipelines' in registry order), so that files of the same target set line up.
  std::vector<CounterSpec> columns;
  std::set<std::string> seen = {"requests", "errors", "unsent", "schedule_lag_p99_ms"};  // fixed columns, or none
  auto add_columns = [&](const std::vector<CounterSpec>& specs) {
    for (const auto& spec : specs) {
      if (seen.insert(spec.name).second) columns.push_back(spec);
    }
  };
  add_columns(common_counters());
  for (const Pipeline* pipeline : pipelines()) {
    // The case modes its rows ran (a pipeline may multiply its modes: Pipeline::case_modes), in order run.
    std::vector<std::string> used;
    for (const auto& [group, rows] : groups_) {
      for (const auto& row : rows) {
        if (row.pipeline == pipeline && std::find(used.begin(), used.end(), row.name.mode) == used.end()) {
          used.push_back(row.name.mode);
        }
      }
    }
    for (const auto& mode : used) add_columns(pipeline->counters(mode));
  }
  std::ostringstream out;
  out << "case,pipeline,model,profile,mode,concurrency,requests,completed,errors,errors_by_status";
  for (const auto& column : columns) out << ',' << column.name;
  out << ",request_rate\n";
  for (const auto& [group, rows] : groups_) {
    for (const auto& row : rows) {
      const auto& [name, m, pipeline] = row;
      std::set<std::string> own;
      for (const auto& spec : case_counters(*pipeline, name.mode)) own.insert(spec.name);
      std::string statuses;
      for (const auto& [status, count] : m.errors_by_status) {
        statuses += (statuses.empty() ? "" : " ") + status + "=" + std::to_string(count);
      }
      out << name.str() << ',' << name.pipeline << ',' << name.model << ',' << name.profile << ',' << name.mode << ','
          << (name.open_loop() ? std::string() : std::to_string(name.concurrency)) << ',' << m.requests << ',' << m.completed << ',' << m.errors() << ',' << statuses;
      for (const auto& column : columns) {
        const double value = own.count(column.name) ? column.value(m) : NAN;
        out << ',' << (std::isnan(value) ? std::string() : number_cell(value, 4));
      }
      out << ',' << (name.open_loop() ? name.load_cell() : std::string()) << '\n';
    }
  }
  return out.str();
}

}  // namespace voxperf::bench
