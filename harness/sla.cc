#include "harness/sla.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace voxperf {

std::optional<double> SlaBound::percentile() const {
  // "_p<digits>" followed by "_" or the end of the name.
  for (std::size_t at = counter.find("_p"); at != std::string::npos; at = counter.find("_p", at + 1)) {
    std::size_t end = at + 2;
    while (end < counter.size() && std::isdigit(static_cast<unsigned char>(counter[end]))) ++end;
    if (end == at + 2 || (end < counter.size() && counter[end] != '_')) continue;
    const double p = std::stod(counter.substr(at + 2, end - at - 2));
    if (p > 0 && p < 100) return p;
  }
  return std::nullopt;
}

bool SlaBound::met(double value) const {
  if (std::isnan(value)) return false;
  return at_most ? value <= limit : value >= limit;
}

namespace {
std::string figure(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}
}  // namespace

std::string SlaBound::text() const { return counter + (at_most ? " <= " : " >= ") + figure(limit); }

std::size_t requests_for_bounds(const std::vector<SlaBound>& bounds, std::size_t tail_samples) {
  std::size_t out = 0;
  for (const auto& bound : bounds) {
    if (auto p = bound.percentile()) {
      const double needed = static_cast<double>(tail_samples) * 100.0 / (100.0 - *p);
      out = std::max(out, static_cast<std::size_t>(std::ceil(needed - 1e-9)));
    }
  }
  return out;
}

ProbeVerdict judge_probe(const std::vector<SlaBound>& bounds, const std::map<std::string, double>& values,
                         std::size_t errors, std::optional<bool> stable) {
  ProbeVerdict verdict;
  for (const auto& bound : bounds) {
    const auto it = values.find(bound.counter);
    const double value = it == values.end() ? NAN : it->second;
    if (bound.met(value)) continue;
    verdict.met = false;
    verdict.broken.push_back(std::isnan(value) ? bound.counter + " not measured"
                                               : bound.counter + " " + figure(value) + (bound.at_most ? " > " : " < ") +
                                                     figure(bound.limit));
  }
  if (errors > 0) {
    verdict.met = false;
    verdict.broken.push_back("errors: " + std::to_string(errors));
  }
  if (stable && !*stable) {
    verdict.met = false;
    verdict.broken.push_back("unstable");
  }
  return verdict;
}

SlaSearch::SlaSearch(SlaRange range) : range_(range) {}

std::optional<std::size_t> SlaSearch::next() const {
  if (!broken_) {
    if (passed_ == 0) return probes_ == 0 ? std::optional(range_.min) : std::nullopt;
    if (passed_ >= range_.max) return std::nullopt;  // every level up to max met it
    return std::min(2 * passed_, range_.max);       // doubling
  }
  if (*broken_ <= range_.min || *broken_ - passed_ <= 1) return std::nullopt;
  return passed_ + (*broken_ - passed_) / 2;  // bisection between the last that met it and the first that broke
}

void SlaSearch::record(std::size_t concurrency, bool met) {
  ++probes_;
  if (met) {
    passed_ = std::max(passed_, concurrency);
  } else {
    broken_ = broken_ ? std::min(*broken_, concurrency) : concurrency;
  }
}

}  // namespace voxperf
