// Metrics of one LLM request (genai-perf's definitions, ../shared/facts/genai-perf.md; where voxperf differs it
// says so here and in the README): pure functions of its RequestRecord. Every time runs from the latency
// origin (send time, or the schedule in an open loop; request_metrics.h). A "token" event is a response of
// kind kText: a chunk that carried text. Role-only and empty deltas, the usage chunk and [DONE] are not.
#pragma once

#include <cstddef>
#include <optional>

#include "harness/request_metrics.h"

namespace voxperf {

// First text event minus the origin. Non-streamed: the whole answer's arrival, i.e. the request latency.
std::optional<Nanos> time_to_first_token(const RequestRecord& r, LoadModel model);

// Second text event minus the first (genai-perf's TTST: event to event, whatever each carried).
std::optional<Nanos> time_to_second_token(const RequestRecord& r);

// Output sequence length: the server's usage.completion_tokens, else the number of text events (an estimate:
// a server may put several tokens in one event).
std::size_t output_sequence_length(const RequestRecord& r);
// True when output_sequence_length is the estimate (the server reported no usage).
bool output_length_estimated(const RequestRecord& r);

// Input sequence length: the server's usage.prompt_tokens, else the prompt's words as sent.
std::size_t input_sequence_length(const RequestRecord& r);

// genai-perf's inter-token latency: (last text event - first text event) / (OSL - 1), one value per request;
// needs two text events and OSL > 1. It is (request latency - TTFT) / (OSL - 1) with the request latency taken
// at the last text event, as genai-perf takes it.
std::optional<Nanos> inter_token_latency(const RequestRecord& r);

// vLLM's TPOT: (request latency - TTFT) / (OSL - 1), the latency running to the final event (the usage chunk
// included); needs OSL > 1.
std::optional<Nanos> time_per_output_token(const RequestRecord& r, LoadModel model);

// Output tokens per second per user: 1 / ITL.
std::optional<double> tokens_per_second_per_user(const RequestRecord& r);

}  // namespace voxperf
