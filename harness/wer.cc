#include "harness/wer.h"

#include "harness/english_normalizer.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <sstream>

namespace voxperf {

std::string normalize_transcript(std::string_view text) {
  std::string out;
  for (const auto& w : english_words(text)) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::vector<std::string> transcript_words(std::string_view text) { return english_words(text); }

double WordErrors::rate() const {
  if (reference_words == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(errors()) / static_cast<double>(reference_words);
}

WordErrors& WordErrors::operator+=(const WordErrors& other) {
  substitutions += other.substitutions;
  deletions += other.deletions;
  insertions += other.insertions;
  reference_words += other.reference_words;
  return *this;
}

WordErrors word_errors(std::string_view reference, std::string_view hypothesis) {
  const auto ref = transcript_words(reference);
  const auto hyp = transcript_words(hypothesis);
  const std::size_t n = ref.size();
  const std::size_t m = hyp.size();

  // Full cost matrix, then a backtrace to split the distance into S, D and I.
  std::vector<std::uint32_t> cost((n + 1) * (m + 1));
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return cost[i * (m + 1) + j]; };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = static_cast<std::uint32_t>(i);
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = static_cast<std::uint32_t>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::uint32_t diagonal = at(i - 1, j - 1) + (ref[i - 1] == hyp[j - 1] ? 0u : 1u);
      at(i, j) = std::min({diagonal, at(i - 1, j) + 1, at(i, j - 1) + 1});
    }
  }

  WordErrors errors;
  errors.reference_words = n;
  std::size_t i = n, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && at(i, j) == at(i - 1, j - 1) + (ref[i - 1] == hyp[j - 1] ? 0u : 1u)) {
      if (ref[i - 1] != hyp[j - 1]) ++errors.substitutions;
      --i;
      --j;
    } else if (i > 0 && at(i, j) == at(i - 1, j) + 1) {
      ++errors.deletions;
      --i;
    } else {
      ++errors.insertions;
      --j;
    }
  }
  return errors;
}

}  // namespace voxperf
