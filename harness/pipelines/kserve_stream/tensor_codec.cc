#include "harness/pipelines/kserve_stream/tensor_codec.h"

#include <algorithm>
#include <cmath>
#include <bit>
#include <cstring>

namespace voxperf {
namespace {

// x86 and Arm Linux are little-endian, as the wire is; the byte copies below rely on it.
static_assert(std::endian::native == std::endian::little);

template <class T>
void append(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

}  // namespace

bool audio_datatype_supported(const std::string& datatype) { return datatype == "FP32" || datatype == "INT16"; }

std::size_t datatype_bytes(const std::string& datatype) {
  if (datatype == "BOOL" || datatype == "UINT8" || datatype == "INT8") return 1;
  if (datatype == "UINT16" || datatype == "INT16" || datatype == "FP16" || datatype == "BF16") return 2;
  if (datatype == "UINT32" || datatype == "INT32" || datatype == "FP32") return 4;
  if (datatype == "UINT64" || datatype == "INT64" || datatype == "FP64") return 8;
  return 0;
}

std::string encode_audio(std::span<const std::int16_t> samples, const std::string& datatype) {
  std::string out;
  out.reserve(samples.size() * datatype_bytes(datatype));
  for (std::int16_t s : samples) {
    if (datatype == "FP32") {
      append(out, static_cast<float>(s) / 32768.0f);
    } else {
      append(out, s);
    }
  }
  return out;
}

std::vector<std::int16_t> decode_audio(const std::string& raw, const std::string& datatype) {
  const std::size_t width = datatype_bytes(datatype);
  std::vector<std::int16_t> out(width == 0 ? 0 : raw.size() / width);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (datatype == "FP32") {
      float f = 0;
      std::memcpy(&f, raw.data() + 4 * i, 4);
      const float scaled = std::clamp(std::round(f * 32768.0f), -32768.0f, 32767.0f);  // inverts encode_audio
      out[i] = static_cast<std::int16_t>(scaled);
    } else {
      std::memcpy(&out[i], raw.data() + 2 * i, 2);
    }
  }
  return out;
}

std::string encode_bytes_elements(const std::vector<std::string>& elements) {
  std::string out;
  for (const auto& element : elements) {
    append(out, static_cast<std::uint32_t>(element.size()));
    out += element;
  }
  return out;
}

std::optional<std::vector<std::string>> decode_bytes_elements(const std::string& raw) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < raw.size()) {
    if (raw.size() - at < 4) return std::nullopt;
    std::uint32_t length = 0;
    std::memcpy(&length, raw.data() + at, 4);
    at += 4;
    if (raw.size() - at < length) return std::nullopt;
    out.push_back(raw.substr(at, length));
    at += length;
  }
  return out;
}

}  // namespace voxperf
