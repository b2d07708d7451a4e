// Server-sent events (text/event-stream), parsed as the WHATWG HTML standard says ("Interpreting an event
// stream"; ../shared/facts/http-speech.md 5.3): lines end in CRLF, LF or CR; a blank line dispatches the event;
// `:` lines are comments (keep-alives); several `data:` lines form one event joined by LF; `event`, `id` and
// `retry` are kept; an unterminated event at the end of the stream is discarded. Pure and incremental: bytes may
// be split anywhere (mid-line, mid-CRLF, mid-UTF-8), so it is fed what each read returned and is fuzzable.
//
// Timing. Each event is stamped with the time of the read that carried its last byte (the dispatching blank
// line), not the time of the read that began it, so a slow event counts from when it was complete. Events that
// arrived in one read share that read's time: the transport cannot tell them apart, and neither can we.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/clock.h"

namespace voxperf {

struct SseEvent {
  std::string type = "message";  // the `event:` field, default "message"
  std::string data;              // `data:` lines joined by LF
  std::string id;                // the last event id seen so far (it persists across events)
  std::optional<long long> retry;
  TimePoint at{};                // when its last byte arrived

  // OpenAI-style end of stream: `data: [DONE]`.
  bool done() const { return data == "[DONE]"; }
};

class SseParser {
 public:
  // Bytes of one read, which arrived at `at`; returns the events they completed, in order.
  std::vector<SseEvent> feed(std::string_view bytes, TimePoint at);
  // The stream ended. Returns true when an event was left unterminated (and so discarded, per the standard).
  bool finish();

 private:
  void line(std::string_view text, TimePoint at, std::vector<SseEvent>& out);

  std::string partial_;      // the current line so far
  bool skip_lf_ = false;     // the previous byte was CR: a following LF belongs to it
  bool started_ = false;     // past the optional leading BOM
  std::string bom_;          // leading bytes that may still become a BOM
  SseEvent pending_;         // the event being built
  bool has_data_ = false;    // pending_ has at least one data line
  bool has_fields_ = false;  // pending_ has any field or data line (for finish())
  std::string last_id_;
};

}  // namespace voxperf
