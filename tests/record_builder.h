// Hand-made request records for metric tests: times are milliseconds from an arbitrary origin.
#pragma once

#include <string>

#include "harness/request_record.h"

namespace voxperf::testing {

inline TimePoint at_ms(double ms) { return TimePoint{} + Nanos(static_cast<Nanos::rep>(ms * 1e6)); }

class RecordBuilder {
 public:
  RecordBuilder& intended(double ms) { r_.intended_start = at_ms(ms); return *this; }
  RecordBuilder& sent(double ms) {
    r_.sent = at_ms(ms);
    if (r_.intended_start == TimePoint{}) r_.intended_start = at_ms(ms);
    return *this;
  }
  RecordBuilder& chunks(double first_ms, double last_ms) {
    r_.first_chunk_sent = at_ms(first_ms);
    r_.last_chunk_sent = at_ms(last_ms);
    return *this;
  }
  RecordBuilder& audio_in(double seconds, std::string reference) {
    r_.audio_seconds_in = seconds;
    r_.reference = std::move(reference);
    return *this;
  }
  RecordBuilder& chars(std::size_t n) { r_.text_chars = n; return *this; }
  RecordBuilder& audio(double ms, double audio_seconds, std::size_t bytes = 1000) {
    r_.responses.push_back({at_ms(ms), ResponseKind::kAudio, bytes, audio_seconds, {}});
    return *this;
  }
  RecordBuilder& empty(double ms) {
    r_.responses.push_back({at_ms(ms), ResponseKind::kEmpty, 0, 0.0, {}});
    return *this;
  }
  RecordBuilder& partial(double ms, std::string text) {
    r_.responses.push_back({at_ms(ms), ResponseKind::kPartial, text.size(), 0.0, std::move(text)});
    return *this;
  }
  RecordBuilder& final(double ms, std::string text) {
    r_.responses.push_back({at_ms(ms), ResponseKind::kFinal, text.size(), 0.0, std::move(text)});
    return *this;
  }
  RecordBuilder& ended(double ms, int code = Status::kOk, std::string message = {}) {
    r_.end = at_ms(ms);
    r_.status = {code, std::move(message), {}};
    return *this;
  }
  RequestRecord build() const { return r_; }

 private:
  RequestRecord r_;
};

}  // namespace voxperf::testing
