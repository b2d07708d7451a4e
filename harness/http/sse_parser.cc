#include "harness/http/sse_parser.h"

#include <algorithm>
#include <cctype>

namespace voxperf {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

std::vector<SseEvent> SseParser::feed(std::string_view bytes, TimePoint at) {
  std::vector<SseEvent> out;
  if (!started_) {
    // The stream may begin with a UTF-8 BOM, possibly split over reads.
    while (!bytes.empty() && bom_.size() < kBom.size() && bytes.front() == kBom[bom_.size()]) {
      bom_ += bytes.front();
      bytes.remove_prefix(1);
    }
    if (bom_.size() == kBom.size() || !bytes.empty()) {
      started_ = true;
      if (bom_.size() < kBom.size()) partial_ = bom_;  // not a BOM after all: ordinary bytes
    }
  }
  for (char c : bytes) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';
      line(partial_, at, out);
      partial_.clear();
    } else {
      partial_ += c;
    }
  }
  return out;
}

void SseParser::line(std::string_view text, TimePoint at, std::vector<SseEvent>& out) {
  if (text.empty()) {  // dispatch
    if (has_data_) {
      if (!pending_.data.empty() && pending_.data.back() == '\n') pending_.data.pop_back();
      pending_.id = last_id_;
      pending_.at = at;
      out.push_back(std::move(pending_));
    }
    pending_ = SseEvent{};
    has_data_ = has_fields_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment: keep-alive
  const std::size_t colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  has_fields_ = true;
  if (field == "data") {
    pending_.data.append(value);
    pending_.data += '\n';
    has_data_ = true;
  } else if (field == "event") {
    pending_.type = value.empty() ? "message" : std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = std::string(value);
  } else if (field == "retry") {
    if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        value.size() < 18) {
      pending_.retry = std::stoll(std::string(value));
    }
  }
}

bool SseParser::finish() {
  const bool unterminated = has_fields_ || !partial_.empty();
  partial_.clear();
  pending_ = SseEvent{};
  has_data_ = has_fields_ = false;
  return unterminated;
}

}  // namespace voxperf
