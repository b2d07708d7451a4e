// What the harness remembers about one request: the raw material every metric is computed from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/clock.h"
#include "harness/status.h"

namespace voxperf {

enum class ResponseKind {
  kAudio,    // TTS: a response that carries audio samples
  kPartial,  // ASR: an interim transcript
  kFinal,    // ASR: a final transcript (or the whole answer of a unary call)
  kText,     // LLM: a chunk that carries generated text (a content delta, or a whole non-streamed answer)
  kEmpty,    // a response with nothing a user hears or reads (header chunk, VAD-only result, role-only delta)
};

// One response message as the client received it.
struct ResponseEvent {
  TimePoint at{};
  ResponseKind kind = ResponseKind::kEmpty;
  std::size_t bytes = 0;       // payload bytes: audio for TTS, transcript for ASR
  double audio_seconds = 0.0;  // TTS: audio carried by this response; ASR: audio_processed reported
  std::string text;            // ASR transcript, or LLM text, carried by this response
};

struct RequestRecord {
  std::uint64_t index = 0;   // position in the window's sequence of requests
  std::string item;          // utterance or prompt id
  std::string request_id;    // HTTP: the X-Request-Id it was sent with, for matching server logs
  TimePoint intended_start{};  // when the load model wanted it sent (open loop: the schedule)
  std::optional<TimePoint> sent;  // when the call was started; empty: never sent
  // Streaming input (ASR audio chunks): when the first and last chunk writes were started.
  std::optional<TimePoint> first_chunk_sent;
  std::optional<TimePoint> last_chunk_sent;
  std::size_t chunks_sent = 0;
  // Paced input: how late each chunk after the first was written (actual write minus the stream's real-time
  // schedule: first chunk's send + k x chunk_period), in microseconds; 4 bytes a chunk, no more.
  std::vector<std::int32_t> chunk_lag_us;
  Nanos chunk_period{0};  // the real-time period of those chunks; 0: not paced
  double audio_seconds_in = 0.0;  // ASR: audio duration of the utterance
  std::size_t text_chars = 0;     // TTS: characters of the prompt
  std::string reference;          // ASR: reference transcript, for WER
  bool ends_sequence = false;     // KServe: the request carried sequence_end (sequences/s counts these)
  // LLM: the token counts the server reported in `usage` (unset when it did not), and the prompt's length in
  // the client's own units (words), used for ISL when the server does not say.
  std::optional<std::size_t> input_tokens;
  std::optional<std::size_t> output_tokens;
  std::size_t prompt_words = 0;
  std::vector<ResponseEvent> responses;
  std::optional<TimePoint> first_byte;  // HTTP: when the first byte of a 2xx body arrived
  std::optional<TimePoint> end;   // when the final status arrived
  Status status = Status::unsent();

  bool ok() const { return sent && status.ok(); }
};

}  // namespace voxperf
