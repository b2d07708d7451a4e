// Reading WAV files into 16-bit PCM, with libsndfile doing the RIFF chunk parsing (headers of 44, 78, 110
// or any other length, LIST and fact chunks, WAVE_FORMAT_EXTENSIBLE).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace voxperf {

struct PcmAudio {
  int sample_rate = 0;
  int channels = 0;
  std::vector<std::int16_t> samples;  // interleaved when channels > 1

  std::size_t frames() const { return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0; }
  double seconds() const {
    return sample_rate > 0 ? static_cast<double>(frames()) / static_cast<double>(sample_rate) : 0.0;
  }
  // The little-endian bytes sent as LINEAR_PCM (x86 and Arm Linux are little-endian).
  std::span<const std::byte> bytes() const { return std::as_bytes(std::span(samples)); }
};

// Throws InputError naming the file when it can not be opened, is not a WAV file, is not 16-bit PCM,
// or holds no samples.
PcmAudio read_wav(const std::filesystem::path& path);

// The same checks on a WAV file held in memory (a Recognize request whose audio starts with a RIFF header);
// `name` is what the error message calls it.
PcmAudio parse_wav(std::span<const std::byte> bytes, const std::string& name);

// The header of a WAV file of which `bytes` may hold only the beginning (NVIDIA's Riva clients stream a file
// from byte 0, so a stream's first audio chunk starts with the header). Same checks as read_wav, except that
// no samples need to follow yet.
struct WavHeader {
  int sample_rate = 0;
  int channels = 0;
  std::size_t data_offset = 0;  // where the samples start
};
WavHeader parse_wav_header(std::span<const std::byte> bytes, const std::string& name);

}  // namespace voxperf
