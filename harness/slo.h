// Per-request service-level objectives, for goodput: a request is good when it completed and every bound that
// is set holds (times: value <= bound; tokens_per_s_per_user: value >= bound), as vLLM and genai-perf define
// it (../shared/facts/llm-bench.md 1.5). Targets-file field "slo", e.g. {"ttft_ms": 500, "itl_ms": 50}.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/request_record.h"
#include "harness/request_metrics.h"

namespace voxperf {

struct Slo {
  std::optional<double> ttft_ms;
  std::optional<double> ttst_ms;
  std::optional<double> itl_ms;   // genai-perf's per-request ITL
  std::optional<double> tpot_ms;  // vLLM's TPOT
  std::optional<double> latency_ms;
  std::optional<double> ttfa_ms;  // speech: first audio
  std::optional<double> tokens_per_s_per_user;

  bool empty() const {
    return !ttft_ms && !ttst_ms && !itl_ms && !tpot_ms && !latency_ms && !ttfa_ms && !tokens_per_s_per_user;
  }
  // The targets-file keys, in order.
  static std::vector<std::string> keys();
  // Sets the bound named `key` (one of keys()); false for an unknown key.
  bool set(const std::string& key, double value);
};

// Whether a completed request met every bound. A bound on a figure the request does not have is met when the
// figure is about the decode phase (TTST, ITL, TPOT, tokens/s/user of a one-token answer: vLLM counts TPOT as 0
// then), and missed when it is a first-response figure (TTFT, TTFA: no text or audio came at all).
bool meets_slo(const RequestRecord& r, LoadModel model, const Slo& slo);

}  // namespace voxperf
