// Metric math on hand-made records (DESIGN.md, "Measurement rules").
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "harness/request_metrics.h"
#include "harness/window_metrics.h"
#include "tests/record_builder.h"

namespace voxperf {
namespace {

using testing::at_ms;
using testing::RecordBuilder;

double ms(std::optional<Nanos> d) { return d ? std::chrono::duration<double, std::milli>(*d).count() : NAN; }

// A TTS stream whose first response is an empty header chunk.
RequestRecord tts_stream_with_header() {
  return RecordBuilder()
      .sent(100)
      .chars(40)
      .empty(110)            // header: no audio, must not count as first audio
      .audio(130, 0.5)       // TTFA = 30 ms
      .audio(150, 0.5)
      .empty(160)            // skipped by inter-chunk too
      .audio(190, 1.0)
      .ended(195)
      .build();
}

TEST(RequestMetrics, TtfaSkipsEmptyHeaderChunk) {
  const auto r = tts_stream_with_header();
  EXPECT_DOUBLE_EQ(ms(time_to_first_audio(r, LoadModel::kClosedLoop)), 30.0);
  EXPECT_DOUBLE_EQ(ms(request_latency(r, LoadModel::kClosedLoop)), 90.0);  // last response, not the status
  EXPECT_DOUBLE_EQ(audio_seconds(r), 2.0);
  const auto gaps = inter_chunk_gaps(r);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_DOUBLE_EQ(ms(gaps[0]), 20.0);
  EXPECT_DOUBLE_EQ(ms(gaps[1]), 40.0);
  EXPECT_NEAR(*real_time_factor(r), 0.095 / 2.0, 1e-12);
}

TEST(RequestMetrics, OpenLoopMeasuresFromIntendedStart) {
  auto r = RecordBuilder().intended(80).sent(100).audio(130, 0.5).ended(140).build();
  EXPECT_DOUBLE_EQ(ms(time_to_first_audio(r, LoadModel::kOpenLoop)), 50.0);
  EXPECT_DOUBLE_EQ(ms(request_latency(r, LoadModel::kOpenLoop)), 50.0);
  EXPECT_DOUBLE_EQ(ms(request_latency(r, LoadModel::kClosedLoop)), 30.0);
  EXPECT_DOUBLE_EQ(ms(schedule_lag(r)), 20.0);
}

// An ASR stream: config at 0, chunks from 10 to 970, partials, then the final after the half-close.
RequestRecord asr_stream() {
  return RecordBuilder()
      .sent(0)
      .chunks(10, 970)
      .audio_in(1.0, "the quick brown fox")
      .empty(200)  // VAD-only result
      .partial(330, "the")
      .partial(650, "the quick brow")
      .final(1015, "the quick brown fox")
      .ended(1020)
      .build();
}

TEST(RequestMetrics, AsrStreamFirstPartialServerTailTranscript) {
  const auto r = asr_stream();
  EXPECT_DOUBLE_EQ(ms(first_partial(r)), 320.0);  // 330 - first chunk at 10
  EXPECT_DOUBLE_EQ(ms(server_tail(r)), 45.0);      // 1015 - last chunk at 970
  EXPECT_EQ(final_transcript(r), "the quick brown fox");
  EXPECT_DOUBLE_EQ(ms(request_latency(r, LoadModel::kClosedLoop)), 1015.0);
  EXPECT_FALSE(time_to_first_audio(r, LoadModel::kClosedLoop).has_value());
}

TEST(RequestMetrics, FinalsAreConcatenatedAndTailUsesFirstFinalAfterLastChunk) {
  const auto r = RecordBuilder()
                     .sent(0)
                     .chunks(0, 500)
                     .final(300, "hello ")     // an early final, before the audio ended
                     .final(540, "world")
                     .final(600, "")
                     .ended(610)
                     .build();
  EXPECT_EQ(final_transcript(r), "hello world");
  EXPECT_DOUBLE_EQ(ms(server_tail(r)), 40.0);
}

TEST(RequestMetrics, MissingPiecesGiveNoValue) {
  const auto unsent = RecordBuilder().build();
  EXPECT_FALSE(request_latency(unsent, LoadModel::kClosedLoop));
  EXPECT_FALSE(schedule_lag(unsent));
  const auto no_partials = RecordBuilder().sent(0).chunks(0, 10).final(20, "x").ended(20).build();
  EXPECT_FALSE(first_partial(no_partials));
  const auto unary = RecordBuilder().sent(0).ended(25).build();
  EXPECT_DOUBLE_EQ(ms(request_latency(unary, LoadModel::kClosedLoop)), 25.0);
  EXPECT_FALSE(server_tail(unary));
}

TEST(WindowMetrics, CountsErrorsByStatusAndExcludesThemFromLatency) {
  std::vector<RequestRecord> records{
      tts_stream_with_header(),
      RecordBuilder().sent(0).audio(50, 1.0).ended(60).chars(10).build(),
      RecordBuilder().sent(0).audio(20, 0.3).ended(900, 4, "deadline").build(),  // DEADLINE_EXCEEDED
      RecordBuilder().sent(0).ended(5, 14, "connection refused").build(),        // UNAVAILABLE
      RecordBuilder().sent(0).ended(5, 14, "connection refused").build(),
      RecordBuilder().build(),                                                     // never sent
  };
  Window window{at_ms(0), at_ms(1000), LoadModel::kClosedLoop};
  const auto m = summarize_window(records, window);
  EXPECT_EQ(m.requests, 6u);
  EXPECT_EQ(m.completed, 2u);
  EXPECT_EQ(m.failed, 3u);
  EXPECT_EQ(m.unsent, 1u);
  EXPECT_EQ(m.errors(), 4u);
  EXPECT_EQ(m.errors_by_status.at("DEADLINE_EXCEEDED"), 1u);
  EXPECT_EQ(m.errors_by_status.at("UNAVAILABLE"), 2u);
  EXPECT_EQ(m.errors_by_status.at("UNSENT"), 1u);
  EXPECT_EQ(m.errors_by_status.count("OK"), 0u);

  EXPECT_EQ(m.latency.count(), 2u);  // failed requests do not count
  EXPECT_DOUBLE_EQ(m.latency.max_ms(), 90.0);
  EXPECT_DOUBLE_EQ(m.ttfa.min_ms(), 30.0);
  EXPECT_DOUBLE_EQ(m.ttfa.max_ms(), 50.0);
  EXPECT_EQ(m.inter_chunk.count(), 2u);
  EXPECT_EQ(m.schedule_lag.count(), 5u);  // every sent request

  EXPECT_DOUBLE_EQ(m.window_seconds, 1.0);
  EXPECT_DOUBLE_EQ(m.throughput_rps, 2.0);
  EXPECT_DOUBLE_EQ(m.rtfx, 3.0);             // 2.0 s + 1.0 s of audio from completed requests in 1 s
  EXPECT_DOUBLE_EQ(m.chars_per_second, 50.0);
  EXPECT_TRUE(std::isnan(m.word_errors.rate()));  // TTS: no references
}

TEST(WindowMetrics, AsrWindowWerRtfxAndTail) {
  std::vector<RequestRecord> records{
      asr_stream(),
      RecordBuilder().sent(0).chunks(0, 1900).audio_in(2.0, "jumps over the lazy dog")
          .partial(400, "jumps").final(1960, "jumps over a lazy dog").ended(1970).build(),
  };
  Window window{at_ms(0), at_ms(2000), LoadModel::kClosedLoop};
  const auto m = summarize_window(records, window);
  EXPECT_EQ(m.word_errors.reference_words, 9u);
  EXPECT_EQ(m.word_errors.errors(), 1u);
  EXPECT_DOUBLE_EQ(m.rtfx, 1.5);  // 3 s of audio in 2 s
  EXPECT_DOUBLE_EQ(m.server_tail.min_ms(), 45.0);
  EXPECT_DOUBLE_EQ(m.server_tail.max_ms(), 60.0);
  EXPECT_DOUBLE_EQ(m.first_partial.max_ms(), 400.0);
  EXPECT_DOUBLE_EQ(m.first_partial.min_ms(), 320.0);
  ASSERT_EQ(m.real_time_factors.size(), 2u);
  EXPECT_NEAR(m.mean_real_time_factor(), (1.02 / 1.0 + 1.97 / 2.0) / 2.0, 1e-12);
}

TEST(WindowMetrics, EmptyWindowHasNoRates) {
  const auto m = summarize_window({}, Window{});
  EXPECT_EQ(m.requests, 0u);
  EXPECT_DOUBLE_EQ(m.throughput_rps, 0.0);
  EXPECT_TRUE(std::isnan(m.latency.percentile_ms(99)));
}

}  // namespace
}  // namespace voxperf
