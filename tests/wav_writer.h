// Writes WAV files byte by byte for tests, so header layouts (extra chunks, odd formats, damage) are exact.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace voxperf::testing {

class WavBytes {
 public:
  void text(const std::string& s) { bytes_.insert(bytes_.end(), s.begin(), s.end()); }
  void u16(std::uint16_t v) { for (int i = 0; i < 2; ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xff)); }
  void u32(std::uint32_t v) { for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xff)); }
  void pad(std::size_t n, char c = 'x') { bytes_.insert(bytes_.end(), n, c); }
  std::size_t size() const { return bytes_.size(); }
  const std::vector<char>& bytes() const { return bytes_; }
  void truncate(std::size_t n) { bytes_.resize(n); }

  void write(const std::filesystem::path& path) const {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes_.data(), static_cast<std::streamsize>(bytes_.size()));
  }

 private:
  std::vector<char> bytes_;
};

// A RIFF/WAVE file: fmt chunk, an optional LIST chunk of `list_payload` bytes before the data, then `samples`.
// Header length = 44 + (list_payload ? 8 + list_payload : 0).
inline WavBytes make_wav(const std::vector<std::int16_t>& samples, int sample_rate, int channels,
                         std::size_t list_payload = 0, std::uint16_t format_tag = 1, std::uint16_t bits = 16) {
  const std::uint32_t data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  const std::uint32_t list_bytes = list_payload ? static_cast<std::uint32_t>(8 + list_payload) : 0;
  WavBytes w;
  w.text("RIFF");
  w.u32(4 + (8 + 16) + list_bytes + 8 + data_bytes);
  w.text("WAVE");
  w.text("fmt ");
  w.u32(16);
  w.u16(format_tag);
  w.u16(static_cast<std::uint16_t>(channels));
  w.u32(static_cast<std::uint32_t>(sample_rate));
  w.u32(static_cast<std::uint32_t>(sample_rate * channels * bits / 8));
  w.u16(static_cast<std::uint16_t>(channels * bits / 8));
  w.u16(bits);
  if (list_payload) {
    w.text("LIST");
    w.u32(static_cast<std::uint32_t>(list_payload));
    w.text("INFO");
    w.pad(list_payload - 4);
  }
  w.text("data");
  w.u32(data_bytes);
  for (auto s : samples) w.u16(static_cast<std::uint16_t>(s));
  return w;
}

}  // namespace voxperf::testing
