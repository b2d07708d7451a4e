// The SSE parser against the WHATWG rules, fed whole, one byte at a time and at random split points: the
// events must not depend on how the bytes were read, and each is stamped with the read that completed it.
#include <gtest/gtest.h>

#include <random>

#include "harness/http/sse_parser.h"

namespace voxperf {
namespace {

TimePoint at_ms(int ms) { return TimePoint{} + std::chrono::milliseconds(ms); }

// vLLM's chat stream: role chunk, content deltas, usage chunk, [DONE].
const std::string kVllm =
    "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n"
    ": keep-alive\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\" world\"}}]}\n\n"
    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n"
    "data: [DONE]\n\n";

std::vector<std::string> datas(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.data);
  return out;
}

std::vector<SseEvent> feed_split(const std::string& text, const std::vector<std::size_t>& cuts) {
  SseParser parser;
  std::vector<SseEvent> out;
  std::size_t from = 0;
  int t = 0;
  for (std::size_t cut : cuts) {
    for (auto& e : parser.feed(std::string_view(text).substr(from, cut - from), at_ms(t++))) out.push_back(e);
    from = cut;
  }
  for (auto& e : parser.feed(std::string_view(text).substr(from), at_ms(t))) out.push_back(e);
  return out;
}

TEST(SseParser, VllmStreamWholeOrByteByByteGivesTheSameEvents) {
  SseParser whole;
  const auto events = whole.feed(kVllm, at_ms(0));
  ASSERT_EQ(events.size(), 5u);  // the comment is not an event
  EXPECT_EQ(events[1].data, "{\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}");
  EXPECT_TRUE(events[4].done());
  EXPECT_FALSE(whole.finish());
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i < kVllm.size(); ++i) every_byte.push_back(i);
  EXPECT_EQ(datas(feed_split(kVllm, every_byte)), datas(events));
}

TEST(SseParser, RandomSplitsNeverChangeTheEvents) {
  std::string crlf;  // the same stream with CRLF line ends
  for (char c : kVllm) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  std::mt19937 random(42);
  const std::string& with_crlf = crlf;
  for (const std::string* stream : {&kVllm, &with_crlf}) {
    const auto expected = datas(SseParser().feed(*stream, at_ms(0)));
    ASSERT_EQ(expected.size(), 5u);
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<std::size_t> cuts;
      for (std::size_t i = 1; i < stream->size(); ++i) {
        if (random() % 7 == 0) cuts.push_back(i);
      }
      EXPECT_EQ(datas(feed_split(*stream, cuts)), expected) << "trial " << trial;
    }
  }
}

TEST(SseParser, LineEndsCrLfCrAndACrLfSplitAcrossReads) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("data: a\r", at_ms(1)).empty());
  // The LF that completes the CRLF is not a blank line of its own.
  EXPECT_TRUE(parser.feed("\ndata: b\r", at_ms(2)).empty());
  const auto events = parser.feed("\r", at_ms(3));  // CR alone is a line end too: blank line, dispatch
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a\nb");
}

TEST(SseParser, FieldsAsTheStandardSays) {
  SseParser parser;
  const auto events = parser.feed(
      "event: transcript.text.delta\nid: 7\ndata:  two spaces\ndata\n\n"  // one space removed; bare "data" line
      "retry: 1500\ndata:x\n\n"
      "id\nevent: e\n\n"                                                      // no data: nothing fires
      "unknown: field\ndata: y\n\n",
      at_ms(5));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "transcript.text.delta");
  EXPECT_EQ(events[0].data, " two spaces\n");  // the second, empty data line adds an LF
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[1].type, "message");
  EXPECT_EQ(events[1].data, "x");
  EXPECT_EQ(events[1].id, "7");  // the id persists
  EXPECT_EQ(events[1].retry, 1500);
  EXPECT_EQ(events[2].id, "");   // "id" with no value resets it
  EXPECT_EQ(events[2].data, "y");
}

TEST(SseParser, AnUnterminatedEventIsDiscardedAndSaidSo) {
  SseParser parser;
  EXPECT_EQ(parser.feed("data: {\"choices\":[]}\n\ndata: {\"cut", at_ms(1)).size(), 1u);
  EXPECT_TRUE(parser.finish());
  SseParser clean;
  clean.feed(kVllm, at_ms(1));
  EXPECT_FALSE(clean.finish());
}

TEST(SseParser, EachEventIsStampedWithTheReadThatCompletedIt) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("data: first", at_ms(10)).empty());
  auto events = parser.feed("\n\ndata: second\n\ndata: third\n", at_ms(25));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at, at_ms(25));  // begun at 10 ms, complete at 25 ms
  EXPECT_EQ(events[1].at, at_ms(25));  // same read: same time, they can not be told apart
  events = parser.feed("\n", at_ms(40));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "third");
  EXPECT_EQ(events[0].at, at_ms(40));
}

TEST(SseParser, ALeadingBomIsDroppedEvenWhenSplit) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("\xEF", at_ms(0)).empty());
  EXPECT_TRUE(parser.feed("\xBB\xBF" "data", at_ms(1)).empty());
  const auto events = parser.feed(": x\n\n", at_ms(2));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x");
  SseParser not_bom;
  const auto plain = not_bom.feed("\xEF" "data: z\n\n", at_ms(0));  // a lone 0xEF is part of a field name
  EXPECT_TRUE(plain.empty());
}

}  // namespace
}  // namespace voxperf
