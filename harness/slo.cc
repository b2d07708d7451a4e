#include "harness/slo.h"

#include "harness/token_metrics.h"

namespace voxperf {
namespace {

double ms(Nanos n) { return static_cast<double>(n.count()) / 1e6; }

// A time bound: missing figures count as `missing_meets`.
bool within(const std::optional<double>& bound, const std::optional<Nanos>& value, bool missing_meets) {
  if (!bound) return true;
  if (!value) return missing_meets;
  return ms(*value) <= *bound;
}

}  // namespace

std::vector<std::string> Slo::keys() {
  return {"ttft_ms", "ttst_ms", "itl_ms", "tpot_ms", "latency_ms", "ttfa_ms", "tokens_per_s_per_user"};
}

bool Slo::set(const std::string& key, double value) {
  std::optional<double>* bound = key == "ttft_ms"      ? &ttft_ms
                                 : key == "ttst_ms"    ? &ttst_ms
                                 : key == "itl_ms"     ? &itl_ms
                                 : key == "tpot_ms"    ? &tpot_ms
                                 : key == "latency_ms" ? &latency_ms
                                 : key == "ttfa_ms"    ? &ttfa_ms
                                 : key == "tokens_per_s_per_user" ? &tokens_per_s_per_user
                                                                  : nullptr;
  if (!bound) return false;
  *bound = value;
  return true;
}

bool meets_slo(const RequestRecord& r, LoadModel model, const Slo& slo) {
  if (!r.ok()) return false;
  if (!within(slo.ttft_ms, time_to_first_token(r, model), false)) return false;
  if (!within(slo.ttfa_ms, time_to_first_audio(r, model), false)) return false;
  if (!within(slo.latency_ms, request_latency(r, model), false)) return false;
  if (!within(slo.ttst_ms, time_to_second_token(r), true)) return false;
  if (!within(slo.itl_ms, inter_token_latency(r), true)) return false;
  if (!within(slo.tpot_ms, time_per_output_token(r, model), true)) return false;
  if (slo.tokens_per_s_per_user) {
    const auto rate = tokens_per_second_per_user(r);
    if (rate && *rate < *slo.tokens_per_s_per_user) return false;
  }
  return true;
}

}  // namespace voxperf
