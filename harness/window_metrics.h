// Metrics of one measured load window: pure functions of its records and its start and end times.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/latency_histogram.h"
#include "harness/request_metrics.h"
#include "harness/slo.h"
#include "harness/wer.h"

namespace voxperf {

struct Window {
  TimePoint start{};  // first request started (closed loop) or first scheduled arrival (open loop)
  TimePoint end{};    // last request ended
  LoadModel model = LoadModel::kClosedLoop;
  double seconds() const { return seconds_between(start, end); }
};

struct WindowMetrics {
  std::size_t requests = 0;   // records in the window
  std::size_t completed = 0;  // ended with OK
  std::size_t failed = 0;     // sent, ended with another status
  std::size_t unsent = 0;     // never sent
  std::map<std::string, std::size_t> errors_by_status;  // every status but OK, UNSENT included

  // Over completed requests only: a failed request's timings describe the failure, not the service.
  LatencyHistogram latency;
  LatencyHistogram ttfa;
  LatencyHistogram ttfb;  // HTTP: first body byte
  LatencyHistogram inter_chunk;
  LatencyHistogram server_tail;
  LatencyHistogram first_partial;
  LatencyHistogram schedule_lag;  // over every sent request
  // Paced input (streaming ASR in real time), over every sent request: each chunk's lag behind its schedule,
  // how many were later than one chunk period, and that period (the longest of the window's, in ms; 0: none).
  LatencyHistogram chunk_lag;
  std::size_t late_chunks = 0;
  double chunk_period_ms = 0.0;
  std::vector<double> real_time_factors;  // sorted

  double window_seconds = 0.0;
  double throughput_rps = 0.0;  // completed / window seconds
  double rtfx = 0.0;            // audio seconds of completed requests / window seconds
  double chars_per_second = 0.0;
  WordErrors word_errors;       // summed over completed requests that have a reference
  std::size_t sequences_ended = 0;  // completed requests that ended a sequence (KServe sequence_end)
  double sequences_per_second = 0.0;
  // LLM (harness/token_metrics.h), over completed requests that returned text.
  LatencyHistogram ttft;
  LatencyHistogram ttst;
  LatencyHistogram itl;   // genai-perf's, one value per request
  LatencyHistogram tpot;  // vLLM's, one value per request
  std::vector<double> output_lengths;               // sorted, tokens
  std::vector<double> input_lengths;                // sorted, tokens
  std::vector<double> tokens_per_second_per_user;   // sorted
  std::size_t output_tokens = 0;                    // summed OSL
  std::size_t estimated_output_lengths = 0;         // requests whose OSL was counted, not reported by the server
  double output_tokens_per_second = 0.0;
  // Goodput: completed requests that met every bound of the target's slo, per window second; unset without slo.
  std::optional<std::size_t> good_requests;
  double goodput_rps = 0.0;
  // The server's own account of the window (PipelineTarget::server_window), filled in by the runner.
  std::map<std::string, double> server;
  // How the load level was measured (harness/stability.h), filled in by the runner: the windows it took, and
  // whether the last 3 agreed (unset: no stability asked for) or the latency reached the threshold (unset: none).
  std::size_t windows = 1;
  std::optional<bool> stable;
  std::optional<bool> over_latency_threshold;
  // Paced streams: whether the chunk lag P99 was over the target's budget (unset: nothing paced), and that
  // budget in ms. Such a level measured the client's lateness, not the server.
  std::optional<bool> over_chunk_lag_budget;
  double chunk_lag_budget_ms = 0.0;

  std::size_t errors() const { return failed + unsent; }
  double late_chunk_fraction() const;  // late_chunks / chunks paced; NaN when none was
  double mean_real_time_factor() const;
};

// `slo`: the target's per-request objectives, for goodput (none: no goodput).
WindowMetrics summarize_window(std::span<const RequestRecord> records, const Window& window, const Slo& slo = {});

// Several windows reported as one (perf_analyzer merges its last 3): from the first one's start, as long as
// their durations together, so that throughput is their requests over their summed time and any gap between
// windows does not count.
Window merged_window(std::span<const Window> windows);

}  // namespace voxperf
