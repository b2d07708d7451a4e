// gRPC's message framing on HTTP/2 DATA frames, for the transport that speaks it without grpc++: each message
// is a compression flag (0: none), its length as 4 bytes big-endian, then its bytes.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace voxperf {

// `message` framed, ready to send as it is (uncompressed).
std::string grpc_framed(std::string_view message);

// Cuts a byte stream, arriving in DATA frames of any size, back into messages.
class GrpcMessageReader {
 public:
  // Calls `on_message` for each message that `bytes` completes. Returns an error text, once the stream is
  // not gRPC framing (a compressed message, which voxperf never asks for, or a length over `max_bytes`).
  std::optional<std::string> add(std::string_view bytes, const std::function<void(std::string_view)>& on_message,
                                 std::size_t max_bytes);
  // Bytes of a message begun but not complete: non-zero when a stream ends, a truncated message.
  std::size_t pending() const { return partial_.size(); }

 private:
  std::string partial_;
};

// gRPC's grpc-timeout header value for `milliseconds` (at most 8 digits, so whole seconds past that).
std::string grpc_timeout_value(long long milliseconds);

// grpc-message is percent-encoded (gRPC's HTTP/2 protocol); this gives back its text.
std::string grpc_message_text(std::string_view header_value);

}  // namespace voxperf
