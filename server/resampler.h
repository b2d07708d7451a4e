// Streaming sample-rate conversion of mono int16 audio with libsoxr (high quality): espeak-ng speaks at
// 22050 Hz and TTS requests name their rate; ASR audio at other rates is brought to the model's 16 kHz.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct soxr;

namespace voxperf::refserver {

class Resampler {
 public:
  Resampler(int input_rate, int output_rate);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Appends the output for `input` to `out`; the filter holds back a few ms until flush().
  void process(std::span<const std::int16_t> input, std::vector<std::int16_t>& out);
  // Appends what the filter still holds; call once, at the end of the stream.
  void flush(std::vector<std::int16_t>& out);
  bool passthrough() const { return resampler_ == nullptr; }

 private:
  void run(const std::int16_t* input, std::size_t frames, std::vector<std::int16_t>& out);

  double ratio_ = 1.0;
  soxr* resampler_ = nullptr;  // null when the rates are equal
};

// A whole utterance from one rate to another (the same vector back when the rates are equal).
std::vector<std::int16_t> resample_all(std::vector<std::int16_t> samples, int input_rate, int output_rate);

}  // namespace voxperf::refserver
