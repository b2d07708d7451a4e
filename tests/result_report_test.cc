// The report files: CSV columns and values, and the SVG plot's series, on hand-made windows.
#include <gtest/gtest.h>

#include <sstream>

#include "harness/pipelines/registry.h"
#include "perf_tests/latency_plot.h"
#include "perf_tests/result_table.h"
#include "record_builder.h"

namespace voxperf::bench {
namespace {

WindowMetrics tts_window(std::size_t requests, int ttfa_ms, int latency_ms) {
  std::vector<RequestRecord> records;
  for (std::size_t i = 0; i < requests; ++i) {
    records.push_back(testing::RecordBuilder()
                          .sent(0)
                          .audio(ttfa_ms, 0.5)
                          .audio(latency_ms, 0.5)
                          .ended(latency_ms)
                          .build());
  }
  return summarize_window(records, Window{testing::at_ms(0), testing::at_ms(latency_ms)});
}

const Pipeline& tts() { return *find_pipeline("riva_tts"); }
const Pipeline& asr() { return *find_pipeline("riva_asr"); }

WindowMetrics asr_window(std::size_t requests, int latency_ms) {
  std::vector<RequestRecord> records;
  for (std::size_t i = 0; i < requests; ++i) {
    records.push_back(testing::RecordBuilder()
                          .sent(0)
                          .audio_in(2.0, "hello world")
                          .final(latency_ms, "hello world")
                          .ended(latency_ms)
                          .build());
  }
  return summarize_window(records, Window{testing::at_ms(0), testing::at_ms(latency_ms)});
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

// The cell of `column` in CSV line `row` (0 is the header).
std::string csv_cell(const std::vector<std::string>& rows, std::size_t row, const std::string& column) {
  const auto header = cells(rows.at(0));
  const auto values = cells(rows.at(row));
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return i < values.size() ? values[i] : "(missing)";
  }
  return "(no column " + column + ")";
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(ResultReport, CsvHasOneLinePerCaseWithItsCounters) {
  ResultTable table;
  table.add({"TTS", "Magpie", "bs8", "stream", 1, ""}, tts_window(4, 100, 400), tts());
  table.add({"TTS", "Magpie", "bs8", "stream", 8, ""}, tts_window(4, 300, 900), tts());
  const auto rows = lines(table.csv());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].starts_with("case,pipeline,model,profile,mode,concurrency,requests,completed,errors,"
                                  "errors_by_status,latency_mean_ms,"));
  EXPECT_TRUE(rows[1].starts_with("TTS/Magpie/bs8/stream/c:1,TTS,Magpie,bs8,stream,1,4,4,0,,400.0000,"))
      << rows[1];
  EXPECT_EQ(csv_cell(rows, 2, "latency_mean_ms"), "900.0000");
  EXPECT_EQ(csv_cell(rows, 2, "ttfa_mean_ms"), "300.0000");
  EXPECT_EQ(csv_cell(rows, 2, "wer"), "(no column wer)") << "no ASR case, so no ASR column";
}

TEST(ResultReport, CsvOfSeveralPipelinesLeavesOtherPipelinesCountersEmpty) {
  ResultTable table;
  table.add({"TTS", "Magpie", "bs8", "batch", 1, ""}, tts_window(4, 100, 400), tts());
  table.add({"ASR", "parakeet", "default", "offline", 1, ""}, asr_window(2, 250), asr());
  const auto rows = lines(table.csv());
  ASSERT_EQ(rows.size(), 3u);
  // groups print in name order: the ASR table first
  EXPECT_TRUE(rows[1].starts_with("ASR/parakeet/default/offline/c:1,")) << rows[1];
  EXPECT_EQ(csv_cell(rows, 1, "wer"), "0.0000");
  EXPECT_EQ(csv_cell(rows, 1, "chars_per_s"), "") << "TTS's counter: empty for ASR, not 0";
  EXPECT_EQ(csv_cell(rows, 1, "server_tail_mean_ms"), "(no column server_tail_mean_ms)") << "no streaming ASR case";
  EXPECT_EQ(csv_cell(rows, 2, "wer"), "") << "no WER for TTS: an empty cell, not 0";
  EXPECT_EQ(csv_cell(rows, 2, "latency_mean_ms"), "400.0000");
  EXPECT_EQ(csv_cell(rows, 2, "inter_chunk_mean_ms"), "(no column inter_chunk_mean_ms)") << "no streaming TTS case";
}

TEST(ResultReport, PlotDrawsLatencyAndTtfaAgainstConcurrency) {
  ResultTable table;
  table.add({"TTS", "Magpie", "bs8", "stream", 1, ""}, tts_window(4, 100, 400), tts());
  table.add({"TTS", "Magpie", "bs8", "stream", 64, ""}, tts_window(4, 300, 900), tts());
  const auto& rows = table.groups().at("TTS/Magpie/bs8/stream");
  const std::string svg = latency_plot_svg("TTS/Magpie/bs8/stream", rows);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  std::size_t polylines = 0;
  for (auto at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  EXPECT_EQ(polylines, 4u) << "mean and P99 latency, mean and P99 TTFA";
  EXPECT_NE(svg.find(">64</text>"), std::string::npos) << "a tick per concurrency";
  EXPECT_NE(svg.find("P99 TTFA"), std::string::npos);
  EXPECT_NE(latency_plot_svg("a <b> & c", rows).find("a &lt;b&gt; &amp; c"), std::string::npos);
}

}  // namespace
}  // namespace voxperf::bench
