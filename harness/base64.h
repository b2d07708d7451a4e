// Base64 (RFC 4648, with padding), as OpenAI's SSE audio events carry PCM; OpenSSL's EVP_EncodeBlock and
// EVP_DecodeBlock do the work.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace voxperf {

std::string base64_encode(std::string_view bytes);
// Empty when `text` is not base64 (wrong length or a character outside the alphabet).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace voxperf
