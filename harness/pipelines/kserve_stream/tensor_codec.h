// KServe raw tensor contents: audio samples as the input's datatype, little-endian, row-major; BYTES
// elements as a 4-byte little-endian length followed by the bytes (../shared/facts/kserve-wire.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace voxperf {

bool audio_datatype_supported(const std::string& datatype);  // FP32, INT16
std::size_t datatype_bytes(const std::string& datatype);      // 4 for FP32; 0 for BYTES or unknown

// 16-bit PCM as `datatype`: INT16 as is, FP32 scaled to [-1, 1).
std::string encode_audio(std::span<const std::int16_t> samples, const std::string& datatype);
std::vector<std::int16_t> decode_audio(const std::string& raw, const std::string& datatype);

// BYTES elements, each length-prefixed.
std::string encode_bytes_elements(const std::vector<std::string>& elements);
// The elements of a raw BYTES tensor; empty optional when a length runs past the end.
std::optional<std::vector<std::string>> decode_bytes_elements(const std::string& raw);

}  // namespace voxperf
