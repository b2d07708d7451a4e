// A pipeline is one protocol with its measurement: Riva ASR, Riva TTS, and the protocols of later issues.
// Each lives in a folder of its own under harness/pipelines/ and is known by name only to the registry
// (registry.h). The targets-file parser, the case runner, the load driver, the reports and the gate see a
// pipeline only through this interface:
//
//   settings   its own targets-file fields, parsed and checked by it (errors "FILE: targets[I].FIELD: ...")
//   transport  open() connects to the endpoint its own way (gRPC channels; an HTTP pipeline a libcurl handle)
//              and loads the data its cases send
//   clients    one RequestClient per case and mode, over that transport
//   counters   what its cases report beyond the common ones: pure functions of the window's metrics
//   report     the columns of its table and the extra lines of its plot
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/clock.h"
#include "harness/request_client.h"
#include "harness/timer_queue.h"
#include "harness/window_metrics.h"

namespace voxperf {

class Fields;
struct Target;

// A pipeline's own fields of one target.
class PipelineSettings {
 public:
  virtual ~PipelineSettings() = default;
  // Adds them to the target's description in the results' context (data files by path), which the gate's
  // fingerprint compares.
  virtual void describe(nlohmann::json& target) const = 0;
  // The real-time period of the chunks its streams send paced (streaming ASR's chunk_ms); zero when its cases
  // send nothing paced. Paced cases ramp their stream starts over one period by default and are held to a
  // chunk-lag budget (Target::ramp, Target::chunk_lag_budget_ms).
  virtual Nanos pacing_period(const std::string& mode) const { (void)mode; return Nanos::zero(); }
};

// How a case loads its target. Most clients ignore it; a sequence protocol (KServe) keeps one sequence per
// closed-loop slot, or a fixed number of live sequences in the open loop.
struct CaseLoad {
  LoadModel model = LoadModel::kClosedLoop;
  std::size_t concurrency = 1;
  double rate = 0.0;
};

// The server's own account of one window (Triton's ModelStatistics differenced), begun when made.
class ServerWindow {
 public:
  virtual ~ServerWindow() = default;
  // Named figures over the window (times in ms, "server_queue_ms" ...); empty when the server did not say.
  virtual std::map<std::string, double> end() = 0;
};

// One target opened by its pipeline: the connection and the data that the target's cases share.
class PipelineTarget {
 public:
  virtual ~PipelineTarget() = default;
  // A client for one case in `mode`; it must not outlive this object. `timers` and `clock` outlive the client.
  virtual std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                                const Clock& clock) = 0;
  // Begins the server's account of a window for cases in `mode`; null when the protocol has none.
  virtual std::unique_ptr<ServerWindow> server_window(const std::string& mode) { (void)mode; return nullptr; }
  // The server's own description of what it serves, as JSON text ({"error": "..."} when it did not answer);
  // part of the gate's fingerprint.
  virtual std::string server_config() = 0;
};

// A counter a case reports: its name and its value from the window (NaN: not measured, left out).
struct CounterSpec {
  std::string name;
  std::function<double(const WindowMetrics&)> value;
};

// A row of a per-case statistics table (genai-perf's): its label and the window's values of that figure.
struct StatisticValues {
  double avg = NAN, min = NAN, max = NAN, p99 = NAN, p90 = NAN, p75 = NAN;
};
struct StatisticRow {
  std::string label;  // "Time To First Token (ms)"
  std::function<StatisticValues(const WindowMetrics&)> values;
};

// A column of a report table: its header and its cell for one window.
struct ColumnSpec {
  std::string header;
  std::function<std::string(const WindowMetrics&)> cell;
};

// A line of the latency-against-concurrency plot: its legend and its value (ms; NaN: no point).
struct PlotLine {
  std::string label;
  std::function<double(const WindowMetrics&)> value;
};

// What a pipeline's endpoints speak: which of the embedded server's listeners its cases dial, and which
// endpoint forms its targets may give (gRPC: host:port; HTTP: also http://... or https://...).
enum class Wire { kGrpc, kHttp };

class Pipeline {
 public:
  virtual ~Pipeline() = default;

  virtual std::string kind() const = 0;                // the targets file's "kind": "riva_asr"
  virtual std::string family() const = 0;              // the first part of its case names: "ASR"
  virtual std::vector<std::string> modes() const = 0;  // "stream", "offline"
  virtual std::vector<std::string> fields() const = 0;  // its own targets-file fields
  virtual Wire wire() const { return Wire::kGrpc; }

  // The modes a target's cases run, from the modes its file lists: the same, unless the pipeline's settings
  // multiply them (an LLM target's token-length pairs: "chat" -> "chat-isl1000-osl200", ...). Every other
  // call gets these names.
  virtual std::vector<std::string> case_modes(const std::vector<std::string>& modes,
                                              const PipelineSettings& settings) const {
    (void)settings;
    return modes;
  }

  // Parses and checks its own fields of one target (the common ones are read already). `base` is the targets
  // file's folder, against which relative paths are resolved.
  virtual std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const = 0;
  // Opens `target` at `address` (its endpoint, or the embedded server's): throws InputError for bad data files.
  // An unreachable endpoint is not an error here: its cases report it.
  virtual std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const = 0;

  // What its cases in `mode` report beyond the common counters (common_counters.h).
  virtual std::vector<CounterSpec> counters(const std::string& mode) const = 0;
  // Its report table's columns between "Concurrency" and "Errors | Requests".
  virtual std::vector<ColumnSpec> columns(const std::string& mode) const = 0;
  // A line under its table's heading, e.g. perf_analyzer's "Inferences/Second vs. Client Average Batch Latency".
  virtual std::string table_title(const std::string& mode) const { (void)mode; return {}; }
  // Rows of a statistics table printed for each case (genai-perf's LLM table); none: no such table.
  virtual std::vector<StatisticRow> statistics(const std::string& mode) const { (void)mode; return {}; }
  // Lines of its plot beyond mean and P99 latency.
  virtual std::vector<PlotLine> plot_lines(const std::string& mode) const { (void)mode; return {}; }
};

}  // namespace voxperf
