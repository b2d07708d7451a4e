// A target is one deployment to measure: a model at a profile behind an endpoint, with the modes,
// concurrencies and connection settings of its cases, and its pipeline's own settings (data, voice, chunk
// size ...). Targets come from a JSON targets file (targets_file.h; schema in the README).
#pragma once

#include <chrono>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/sla.h"
#include "harness/slo.h"
#include "harness/stability.h"

namespace voxperf {

class Pipeline;
class PipelineSettings;

struct TlsSettings {
  bool enabled = false;
  std::filesystem::path ca_file;      // empty: the system's roots
  std::filesystem::path client_cert;  // PEM; with client_key, for mutual TLS
  std::filesystem::path client_key;
  std::string server_name;            // expected name in the server's certificate, when not the endpoint's host
};

// Where a target's GPU readings come from while its windows run.
struct GpuMetricsSettings {
  enum class Source { kNvml, kTriton, kDcgm, kNone };
  Source source = Source::kNvml;  // NVML of this host: the server runs here (or there is no GPU: n/a)
  std::string url;                // triton, dcgm: the Prometheus endpoint, e.g. http://riva-host:8002/metrics
  std::chrono::milliseconds interval{500};
};
const char* gpu_source_name(GpuMetricsSettings::Source source);  // "nvml", "triton", "dcgm", "none"

struct Target {
  std::string model;               // as cases name it: parakeet-ctc-1.1b, Magpie, FastPitch
  std::string profile = "default"; // bs8, bs64 ...
  std::string kind;                // the targets file's "kind": riva_asr, riva_tts ...
  const Pipeline* pipeline = nullptr;  // the kind's pipeline (harness/pipelines/registry.h)
  std::shared_ptr<const PipelineSettings> settings;  // the pipeline's own fields, parsed by it
  // host:port, or "embedded": voxperf's reference server, started in process with `profile`.
  std::string endpoint;
  // Several instances of the model (two MIG slices, or instances sharing a GPU): "endpoints" in the file;
  // endpoint is then the first. Each "embedded" entry is a reference server process of its own. With more
  // than one, every mode and concurrency is measured per instance alone and on all of them at once.
  std::vector<std::string> endpoints;
  std::vector<std::string> modes;          // the pipeline's: riva_asr stream, offline; riva_tts stream, batch
  std::vector<std::size_t> concurrency;    // closed loop: one case per mode and concurrency
  std::vector<double> request_rate;        // open loop: one case per mode and rate (requests/s)
  bool poisson = false;                    // open-loop arrivals: Poisson, or constant (perf_analyzer's default)
  std::size_t requests_per_window = 0;     // 0: max(5, 2 x concurrency), or two seconds of arrivals
  std::size_t warmup_requests = 2;
  // perf_analyzer's measurement: count windows (requests_per_window) or time windows (window_ms); with
  // stability_percent, windows repeat until the last 3 agree (harness/stability.h).
  bool time_windows = false;
  std::chrono::milliseconds window{5000};
  StabilityRule stability;
  // Closed loop: the first `concurrency` requests start spread evenly over this time, not in one instant
  // ("ramp_ms"; unset: one pacing period of the mode's paced streams, none for the others).
  std::optional<std::chrono::milliseconds> ramp;
  // Paced streams: a level whose chunk lag P99 is over this is invalid, the client having fallen behind
  // ("chunk_lag_budget_ms"; unset: a tenth of the chunk period).
  std::optional<double> chunk_lag_budget_ms;
  Slo slo;  // per-request objectives: goodput_rps counts the requests that met them
  // Bounds on a level's counters and the concurrency range to search: one ".../sla" case per mode.
  Sla sla;
  TlsSettings tls;
  // Headers sent with every call ("metadata" in a gRPC target's file, "headers" in an HTTP one). `metadata` holds the values with ${VARS} expanded: secrets, never printed or
  // written anywhere. `metadata_as_written` keeps the file's text ("Bearer ${NGC_API_KEY}") for reports.
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<std::pair<std::string, std::string>> metadata_as_written;
  std::size_t max_message_bytes = 64u << 20;
  std::chrono::milliseconds deadline{60'000};  // per request
  std::size_t channels = 4;                    // connections to the endpoint
  GpuMetricsSettings gpu_metrics;

  bool embedded() const { return endpoint == "embedded"; }
  std::size_t requests_for(std::size_t c) const {
    return requests_per_window > 0 ? requests_per_window : std::max<std::size_t>(5, 2 * c);
  }
  std::size_t requests_for_rate(double rate) const {
    return requests_per_window > 0 ? requests_per_window
                                   : std::max<std::size_t>(5, static_cast<std::size_t>(std::ceil(2 * rate)));
  }
  // The pipeline's settings as their own type: settings_as<RivaTtsSettings>().
  template <class Settings>
  const Settings& settings_as() const {
    return dynamic_cast<const Settings&>(*settings);
  }
};

}  // namespace voxperf
