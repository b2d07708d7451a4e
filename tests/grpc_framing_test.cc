// gRPC's length-prefixed framing as the nghttp2 transport writes and reads it: messages cut at any DATA-frame
// boundary come back whole, and a stream that is not gRPC framing is an error that says what it saw.
#include "harness/grpc/nghttp2/grpc_framing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace voxperf {
namespace {

std::vector<std::string> read_all(GrpcMessageReader& reader, const std::vector<std::string>& frames,
                                  std::size_t max_bytes = 1 << 20) {
  std::vector<std::string> messages;
  for (const auto& frame : frames) {
    const auto error = reader.add(frame, [&](std::string_view m) { messages.emplace_back(m); }, max_bytes);
    EXPECT_FALSE(error.has_value()) << *error;
  }
  return messages;
}

TEST(GrpcFraming, AMessageIsAFlagAndABigEndianLength) {
  EXPECT_EQ(grpc_framed("abc"), std::string("\0\0\0\0\3abc", 8));
  EXPECT_EQ(grpc_framed(""), std::string(5, '\0'));
  const std::string big(0x010203, 'x');
  EXPECT_EQ(grpc_framed(big).substr(0, 5), std::string("\0\0\x01\x02\x03", 5));
  EXPECT_EQ(grpc_framed(big).size(), 5u + big.size());
}

TEST(GrpcFraming, MessagesSplitAtEveryByteComeBackWhole) {
  const std::string stream = grpc_framed("first") + grpc_framed("") + grpc_framed(std::string(300, 'z'));
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    GrpcMessageReader reader;
    const auto messages = read_all(reader, {stream.substr(0, cut), stream.substr(cut)});
    ASSERT_EQ(messages.size(), 3u) << "cut at " << cut;
    EXPECT_EQ(messages[0], "first");
    EXPECT_EQ(messages[1], "");
    EXPECT_EQ(messages[2], std::string(300, 'z'));
    EXPECT_EQ(reader.pending(), 0u);
  }
  // One byte per frame.
  GrpcMessageReader reader;
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  EXPECT_EQ(read_all(reader, bytes).size(), 3u);
}

TEST(GrpcFraming, AStreamThatEndsInsideAMessageLeavesItPending) {
  GrpcMessageReader reader;
  const std::string framed = grpc_framed("truncated");
  EXPECT_TRUE(read_all(reader, {framed.substr(0, 7)}).empty());
  EXPECT_EQ(reader.pending(), 7u);
}

TEST(GrpcFraming, CompressedOrOversizeMessagesAreErrorsThatSayWhy) {
  GrpcMessageReader reader;
  auto ignore = [](std::string_view) {};
  std::string compressed = grpc_framed("x");
  compressed[0] = 1;
  const auto error = reader.add(compressed, ignore, 100);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(*error, "a compressed message (flag 1)");

  GrpcMessageReader second;
  const auto oversize = second.add(grpc_framed(std::string(101, 'y')), ignore, 100);
  ASSERT_TRUE(oversize.has_value());
  EXPECT_EQ(*oversize, "a message of 101 bytes, over the limit of 100");
}

TEST(GrpcFraming, TimeoutIsMillisecondsUpToEightDigits) {
  EXPECT_EQ(grpc_timeout_value(30000), "30000m");
  EXPECT_EQ(grpc_timeout_value(-4), "0m");
  EXPECT_EQ(grpc_timeout_value(99'999'999), "99999999m");
  EXPECT_EQ(grpc_timeout_value(100'000'000), "100000S");
}

TEST(GrpcFraming, GrpcMessageIsPercentDecoded) {
  EXPECT_EQ(grpc_message_text("model %27x%27 not found%2E"), "model 'x' not found.");
  EXPECT_EQ(grpc_message_text("100%"), "100%") << "a stray percent stays as it is";
  EXPECT_EQ(grpc_message_text("%zz"), "%zz");
}

}  // namespace
}  // namespace voxperf
