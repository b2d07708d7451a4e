// The wire format of http_speech, as pure functions: the request of one prompt in either dialect, the reading
// of one SSE audio event, and the accounting of a PCM byte stream whose reads split samples anywhere (libcurl
// hands over whatever arrived: ../shared/facts/http-speech.md 5.2).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "harness/http/http_transport.h"
#include "harness/pipelines/http_speech/speech_settings.h"

namespace voxperf {

// openai: JSON to settings.path (stream_format "sse" in mode sse). cosyvoice: a urlencoded form
// tts_text=...&spk_id=... to settings.path, as CosyVoice's own client posts it.
HttpRequest speech_request(const HttpSpeechSettings& settings, const std::string& text, bool sse);

struct SpeechEventReading {
  std::string audio;         // decoded bytes of a speech.audio.delta (may be empty)
  bool delta = false;
  bool done = false;         // speech.audio.done
  std::string server_error;  // an error object's message
  std::string problem;       // why the event could not be read
};
SpeechEventReading read_speech_event(std::string_view data);

// Counts whole int16 frames in a byte stream, carrying a partial frame's bytes over to the next read.
class PcmCounter {
 public:
  explicit PcmCounter(int channels = 1) : frame_bytes_(2 * static_cast<std::size_t>(channels < 1 ? 1 : channels)) {}
  // Bytes of one read; returns the frames they completed.
  std::size_t feed(std::size_t bytes);
  std::size_t leftover() const { return carry_; }  // bytes of an incomplete frame (non-zero at the end: bad)
  std::size_t frames() const { return frames_; }

 private:
  std::size_t frame_bytes_;
  std::size_t carry_ = 0;
  std::size_t frames_ = 0;
};

// The header of a streamed WAV answer, read as its bytes arrive. Streaming servers write a header whose sizes
// are placeholders (0 or 0xFFFFFFFF), so only the chunk layout is trusted: "RIFF" ... "WAVE", a "fmt " chunk
// (PCM, 16-bit), then "data", whose payload starts the audio.
class WavStreamHeader {
 public:
  // Appends bytes until the header is complete; returns how many of `bytes` were header (the rest is audio).
  // Once complete() or failed(), returns 0 and reads nothing more.
  std::size_t feed(std::string_view bytes);
  bool complete() const { return complete_; }
  bool failed() const { return !problem_.empty(); }
  const std::string& problem() const { return problem_; }
  int sample_rate() const { return sample_rate_; }
  int channels() const { return channels_; }

 private:
  void parse();
  std::string buffer_;
  bool complete_ = false;
  std::string problem_;
  std::size_t header_size_ = 0;
  int sample_rate_ = 0;
  int channels_ = 0;
};

}  // namespace voxperf
