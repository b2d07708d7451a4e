#include "perf_tests/latency_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace voxperf::bench {
namespace {

constexpr double kWidth = 640, kHeight = 400, kLeft = 70, kRight = 150, kTop = 40, kBottom = 50;

struct Series {
  std::string name;
  const char* color;
  std::vector<double> values;  // one per row; NaN where there is none
};

std::string number(double value, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  return text;
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

}  // namespace

std::string latency_plot_svg(const std::string& title, const std::vector<ResultTable::Row>& rows) {
  static const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
  std::vector<PlotLine> lines = {{"mean latency", [](const WindowMetrics& m) { return m.latency.mean_ms(); }},
                                 {"P99 latency", [](const WindowMetrics& m) { return m.latency.percentile_ms(99); }}};
  if (!rows.empty()) {
    for (auto& line : rows.front().pipeline->plot_lines(rows.front().name.mode)) lines.push_back(std::move(line));
  }
  std::vector<Series> series;
  for (std::size_t i = 0; i < lines.size(); ++i) series.push_back({lines[i].label, kColors[i % std::size(kColors)], {}});
  std::vector<double> x;
  for (const auto& row : rows) {
    x.push_back(std::log2(row.name.open_loop() ? row.name.rate : static_cast<double>(row.name.concurrency)));
    for (std::size_t i = 0; i < lines.size(); ++i) series[i].values.push_back(lines[i].value(row.metrics));
  }
  double y_max = 0;
  for (const auto& s : series) {
    for (double v : s.values) {
      if (!std::isnan(v)) y_max = std::max(y_max, v);
    }
  }
  y_max = y_max > 0 ? y_max * 1.1 : 1.0;
  const double x_min = x.empty() ? 0 : *std::min_element(x.begin(), x.end());
  const double x_max = x.empty() ? 1 : *std::max_element(x.begin(), x.end());
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double v) { return x_max > x_min ? kLeft + (v - x_min) / (x_max - x_min) * plot_w : kLeft + plot_w / 2; };
  auto py = [&](double v) { return kTop + plot_h - v / y_max * plot_h; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kLeft << "\" y=\"24\" font-size=\"14\" font-weight=\"bold\">" << escape(title) << "</text>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop + plot_h << "\" x2=\"" << kLeft + plot_w << "\" y2=\""
      << kTop + plot_h << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kTop << "\" x2=\"" << kLeft << "\" y2=\"" << kTop + plot_h
      << "\" stroke=\"black\"/>\n";
  for (int i = 0; i <= 5; ++i) {  // y grid and labels
    const double v = y_max * i / 5, y = py(v);
    svg << "<line x1=\"" << kLeft << "\" y1=\"" << y << "\" x2=\"" << kLeft + plot_w << "\" y2=\"" << y
        << "\" stroke=\"#ddd\"/><text x=\"" << kLeft - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
        << number(v) << "</text>\n";
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {  // one x tick per concurrency
    svg << "<text x=\"" << px(x[i]) << "\" y=\"" << kTop + plot_h + 18 << "\" text-anchor=\"middle\">"
        << rows[i].name.load_cell() << "</text>\n";
  }
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 10 << "\" text-anchor=\"middle\">" << (rows.empty() || !rows.front().name.open_loop() ? "concurrency" : "request rate (/s)") << "</text>\n"
      << "<text x=\"16\" y=\"" << kTop + plot_h / 2 << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 "
      << kTop + plot_h / 2 << ")\">milliseconds</text>\n";
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string points;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const double v = series[s].values[i];
      if (std::isnan(v)) continue;
      points += number(px(x[i]), 2) + "," + number(py(v), 2) + " ";
      svg << "<circle cx=\"" << px(x[i]) << "\" cy=\"" << py(v) << "\" r=\"3\" fill=\"" << series[s].color << "\"/>\n";
    }
    if (!points.empty()) {
      svg << "<polyline fill=\"none\" stroke=\"" << series[s].color << "\" stroke-width=\"2\" points=\"" << points
          << "\"/>\n";
    }
    const double ly = kTop + 16.0 * static_cast<double>(s);
    svg << "<line x1=\"" << kLeft + plot_w + 12 << "\" y1=\"" << ly << "\" x2=\"" << kLeft + plot_w + 32 << "\" y2=\""
        << ly << "\" stroke=\"" << series[s].color << "\" stroke-width=\"2\"/><text x=\"" << kLeft + plot_w + 38
        << "\" y=\"" << ly + 4 << "\">" << series[s].name << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace voxperf::bench
