#include "server/fault_plan.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "harness/input_error.h"
#include "harness/status.h"

namespace voxperf::refserver {

bool FaultPlan::any() const {
  return first_response_delay.count() > 0 || chunk_delay.count() > 0 || error_fraction > 0 || stall_fraction > 0 ||
         drop_fraction > 0 || slowdown > 1;
}

std::string FaultPlan::describe() const {
  if (!any()) return "none";
  std::ostringstream out;
  const char* sep = "";
  auto ms = [](std::chrono::microseconds d) { return static_cast<double>(d.count()) / 1000.0; };
  if (first_response_delay.count() > 0) out << sep << "first+" << ms(first_response_delay) << "ms", sep = " ";
  if (chunk_delay.count() > 0) out << sep << "chunk+" << ms(chunk_delay) << "ms", sep = " ";
  if (error_fraction > 0) out << sep << "error=" << error_fraction << ":" << status_code_name(error_code), sep = " ";
  if (stall_fraction > 0) out << sep << "stall=" << stall_fraction, sep = " ";
  if (drop_fraction > 0) out << sep << "drop=" << drop_fraction, sep = " ";
  if (slowdown > 1) out << sep << "slowdown=" << slowdown;
  return out.str();
}

bool FractionPicker::next() {
  if (fraction_ <= 0) return false;
  const auto k = static_cast<double>(calls_.fetch_add(1));
  return std::floor((k + 1) * fraction_) > std::floor(k * fraction_);
}

int parse_status_code(const std::string& text, const std::string& flag) {
  int code = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (error == std::errc{} && end == text.data() + text.size() && code >= 1 && code <= 16) return code;
  for (int c = 1; c <= 16; ++c) {
    if (text == status_code_name(c)) return c;
  }
  throw InputError(flag + " '" + text + "': expected a gRPC status code other than OK, by name (UNAVAILABLE) or "
                   "number (14)");
}

}  // namespace voxperf::refserver
