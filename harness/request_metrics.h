// Metrics of one request: pure functions of its RequestRecord (DESIGN.md, "Measurement rules").
// A value is absent (std::nullopt) when the record does not contain what it needs, e.g. TTFA of a request
// that never got audio. None of these read a clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/clock.h"
#include "harness/request_record.h"

namespace voxperf {

enum class LoadModel {
  kClosedLoop,  // keep C requests in flight; latency runs from the send time
  kOpenLoop,    // requests arrive on a schedule; latency runs from the intended start (no coordinated omission)
};

// What latency and TTFA are measured from: the send time in a closed loop, the intended start in an open loop,
// so that queueing in the client (a late send) counts against the server-plus-client system as a user sees it.
std::optional<TimePoint> latency_origin(const RequestRecord& r, LoadModel model);

// Last response (or, with no response, the final status) minus the origin.
std::optional<Nanos> request_latency(const RequestRecord& r, LoadModel model);

// First response that carries audio minus the origin; empty header chunks do not count.
std::optional<Nanos> time_to_first_audio(const RequestRecord& r, LoadModel model);

// HTTP: the first body byte minus the origin (TTFB). Headers come earlier, and say little: a streaming server
// sends them before any work (../shared/facts/http-speech.md, 5.1).
std::optional<Nanos> time_to_first_byte(const RequestRecord& r, LoadModel model);

// Gaps between consecutive responses that carry content (audio or transcript); empty ones are skipped.
std::vector<Nanos> inter_chunk_gaps(const RequestRecord& r);

// Streaming ASR: time of the first final transcript received after the last audio chunk was sent, minus
// that send time. With no final after the last chunk, the last final of the stream is used.
std::optional<Nanos> server_tail(const RequestRecord& r);

// Streaming ASR: first interim transcript with text minus the time the first audio chunk was sent.
std::optional<Nanos> first_partial(const RequestRecord& r);

// Final transcripts concatenated in arrival order, as Riva's own clients do (no separator added).
std::string final_transcript(const RequestRecord& r);

// Audio the request moved: the utterance sent (ASR) plus the audio received (TTS).
double audio_seconds(const RequestRecord& r);

// Per-request real-time factor: (end - send) / audio seconds (CosyVoice style); below 1 is faster than real time.
std::optional<double> real_time_factor(const RequestRecord& r);

// Open loop: how late the request was sent relative to its schedule.
std::optional<Nanos> schedule_lag(const RequestRecord& r);
// Paced input: each chunk's lag behind its real-time schedule (RequestRecord::chunk_lag_us), sent or not OK.
std::vector<Nanos> chunk_lags(const RequestRecord& r);

}  // namespace voxperf
