#include "harness/token_metrics.h"

#include <algorithm>

namespace voxperf {
namespace {

bool is_text(const ResponseEvent& e) { return e.kind == ResponseKind::kText; }

const ResponseEvent* nth_text(const RequestRecord& r, std::size_t n) {
  for (const auto& e : r.responses) {
    if (is_text(e) && n-- == 0) return &e;
  }
  return nullptr;
}

const ResponseEvent* last_text(const RequestRecord& r) {
  auto it = std::find_if(r.responses.rbegin(), r.responses.rend(), is_text);
  return it == r.responses.rend() ? nullptr : &*it;
}

std::size_t text_events(const RequestRecord& r) {
  return static_cast<std::size_t>(std::count_if(r.responses.begin(), r.responses.end(), is_text));
}

}  // namespace

std::optional<Nanos> time_to_first_token(const RequestRecord& r, LoadModel model) {
  const auto origin = latency_origin(r, model);
  const ResponseEvent* first = nth_text(r, 0);
  if (!origin || !first) return std::nullopt;
  return first->at - *origin;
}

std::optional<Nanos> time_to_second_token(const RequestRecord& r) {
  const ResponseEvent* first = nth_text(r, 0);
  const ResponseEvent* second = nth_text(r, 1);
  if (!first || !second) return std::nullopt;
  return second->at - first->at;
}

std::size_t output_sequence_length(const RequestRecord& r) { return r.output_tokens.value_or(text_events(r)); }

bool output_length_estimated(const RequestRecord& r) { return !r.output_tokens.has_value(); }

std::size_t input_sequence_length(const RequestRecord& r) { return r.input_tokens.value_or(r.prompt_words); }

std::optional<Nanos> inter_token_latency(const RequestRecord& r) {
  const std::size_t osl = output_sequence_length(r);
  const ResponseEvent* first = nth_text(r, 0);
  const ResponseEvent* second = nth_text(r, 1);
  if (osl < 2 || !first || !second) return std::nullopt;
  return (last_text(r)->at - first->at) / static_cast<Nanos::rep>(osl - 1);
}

std::optional<Nanos> time_per_output_token(const RequestRecord& r, LoadModel model) {
  const std::size_t osl = output_sequence_length(r);
  const auto ttft = time_to_first_token(r, model);
  const auto latency = request_latency(r, model);
  if (osl < 2 || !ttft || !latency) return std::nullopt;
  return (*latency - *ttft) / static_cast<Nanos::rep>(osl - 1);
}

std::optional<double> tokens_per_second_per_user(const RequestRecord& r) {
  const auto itl = inter_token_latency(r);
  if (!itl || itl->count() <= 0) return std::nullopt;
  return 1e9 / static_cast<double>(itl->count());
}

}  // namespace voxperf
