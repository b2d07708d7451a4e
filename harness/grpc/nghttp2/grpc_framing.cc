#include "harness/grpc/nghttp2/grpc_framing.h"

#include <algorithm>
#include <cstdint>

namespace voxperf {

std::string grpc_framed(std::string_view message) {
  std::string out(5 + message.size(), '\0');
  const auto size = static_cast<std::uint32_t>(message.size());
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>(size >> (8 * (3 - i)));
  out.replace(5, message.size(), message);
  return out;
}

std::optional<std::string> GrpcMessageReader::add(std::string_view bytes,
                                                  const std::function<void(std::string_view)>& on_message,
                                                  std::size_t max_bytes) {
  // Whole messages straight from `bytes` where they lie; only a message split across frames is copied.
  auto take = [&](std::string_view& from) -> std::optional<std::string> {
    while (from.size() >= 5) {
      if (from[0] != 0) return "a compressed message (flag " + std::to_string(static_cast<unsigned char>(from[0])) + ")";
      std::uint32_t size = 0;
      for (int i = 1; i <= 4; ++i) size = (size << 8) | static_cast<unsigned char>(from[i]);
      if (size > max_bytes) return "a message of " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes);
      if (from.size() < 5 + std::size_t{size}) break;
      on_message(from.substr(5, size));
      from.remove_prefix(5 + std::size_t{size});
    }
    return std::nullopt;
  };
  if (!partial_.empty()) {
    partial_.append(bytes);
    std::string_view all = partial_;
    if (auto error = take(all)) return error;
    partial_.erase(0, partial_.size() - all.size());
    return std::nullopt;
  }
  if (auto error = take(bytes)) return error;
  partial_.assign(bytes);
  return std::nullopt;
}

std::string grpc_timeout_value(long long milliseconds) {
  if (milliseconds < 0) milliseconds = 0;
  if (milliseconds <= 99'999'999) return std::to_string(milliseconds) + "m";
  return std::to_string(std::min(milliseconds / 1000, 99'999'999LL)) + "S";
}

std::string grpc_message_text(std::string_view value) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '%' && i + 2 < value.size()) {
      const int hi = hex(value[i + 1]), lo = hex(value[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(value[i]);
  }
  return out;
}

}  // namespace voxperf
