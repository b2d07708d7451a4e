#include "harness/telemetry/prometheus_text.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "harness/input_error.h"

namespace voxperf::telemetry {
namespace {

class LineParser {
 public:
  LineParser(std::string_view line, std::size_t number) : line_(line), number_(number) {}

  MetricSample sample() {
    MetricSample s;
    s.name = name();
    if (s.name.empty()) fail("expected a metric name");
    skip_spaces();
    if (peek() == '{') labels(s.labels);
    skip_spaces();
    s.value = number();
    skip_spaces();
    if (!at_end()) number();  // an optional timestamp (ms), not used
    skip_spaces();
    if (!at_end()) fail("unexpected text after the value");
    return s;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError("line " + std::to_string(number_) + ": " + what + ": " + std::string(line_));
  }
  bool at_end() const { return pos_ >= line_.size(); }
  char peek() const { return at_end() ? '\0' : line_[pos_]; }
  void skip_spaces() {
    while (!at_end() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }
  static bool name_char(char c, bool first) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
           (!first && std::isdigit(static_cast<unsigned char>(c)));
  }
  std::string name() {
    const std::size_t start = pos_;
    while (!at_end() && name_char(line_[pos_], pos_ == start)) ++pos_;
    return std::string(line_.substr(start, pos_ - start));
  }
  void labels(std::map<std::string, std::string>& out) {
    ++pos_;  // {
    for (;;) {
      skip_spaces();
      if (peek() == '}') break;
      const std::string key = name();
      if (key.empty()) fail("expected a label name");
      skip_spaces();
      if (peek() != '=') fail("expected = after label " + key);
      ++pos_;
      skip_spaces();
      if (peek() != '"') fail("expected a quoted value for label " + key);
      ++pos_;
      std::string value;
      for (;;) {
        if (at_end()) fail("unterminated value of label " + key);
        char c = line_[pos_++];
        if (c == '"') break;
        if (c == '\\') {
          if (at_end()) fail("unterminated escape in label " + key);
          c = line_[pos_++];
          if (c == 'n') c = '\n';
        }
        value += c;
      }
      out[key] = std::move(value);
      skip_spaces();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') fail("expected , or } after label " + key);
    }
    ++pos_;  // }
  }
  double number() {
    const std::size_t start = pos_;
    while (!at_end() && line_[pos_] != ' ' && line_[pos_] != '\t') ++pos_;
    const std::string text(line_.substr(start, pos_ - start));
    if (text == "NaN") return std::nan("");
    if (text == "+Inf" || text == "Inf") return std::numeric_limits<double>::infinity();
    if (text == "-Inf") return -std::numeric_limits<double>::infinity();
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) fail("expected a number, got '" + text + "'");
    return value;
  }

  std::string_view line_;
  std::size_t number_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<MetricSample> parse_prometheus_text(std::string_view text) {
  std::vector<MetricSample> samples;
  std::size_t number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    samples.push_back(LineParser(line.substr(first), number).sample());
  }
  return samples;
}

}  // namespace voxperf::telemetry
