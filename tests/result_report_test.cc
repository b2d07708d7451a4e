// The report files: CSV columns and values, and the SVG plot's series, on hand-made windows.
#include <gtest/gtest.h>

#include <sstream>

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

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(ResultReport, CsvHasOneLinePerCaseWithItsCounters) {
  ResultTable table;
  table.add({"TTS", "Magpie", "bs8", "stream", 1, ""}, tts_window(4, 100, 400));
  table.add({"TTS", "Magpie", "bs8", "stream", 8, ""}, tts_window(4, 300, 900));
  const auto rows = lines(table.csv());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].starts_with("case,pipeline,model,profile,mode,concurrency,requests,completed,errors,"));
  EXPECT_TRUE(rows[1].starts_with("TTS/Magpie/bs8/stream/c:1,TTS,Magpie,bs8,stream,1,4,4,0,,400.0000,"))
      << rows[1];
  EXPECT_NE(rows[2].find(",900.0000,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find(",300.0000,"), std::string::npos) << "TTFA: " << rows[2];
  EXPECT_TRUE(rows[2].ends_with(",")) << "no WER for TTS: an empty cell, not 0";
}

TEST(ResultReport, PlotDrawsLatencyAndTtfaAgainstConcurrency) {
  ResultTable table;
  table.add({"TTS", "Magpie", "bs8", "stream", 1, ""}, tts_window(4, 100, 400));
  table.add({"TTS", "Magpie", "bs8", "stream", 64, ""}, tts_window(4, 300, 900));
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
