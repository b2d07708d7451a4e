// Word error rate: word-level edit distance between a reference and a hypothesis after normalization.
//
// Normalization (applied to both sides) is the English normalizer of harness/english_normalizer.h: case,
// punctuation, annotations, contractions, abbreviations (mr = mister), British spellings and numbers written
// as words or digits ("twenty five" = "25"). Words are what it returns.
//
// The alignment minimises substitutions + deletions + insertions (each costs 1); among alignments of equal
// cost the counts reported are those of the first found, preferring substitution, then deletion, then
// insertion. WER over a window is sum(S + D + I) / sum(reference words), not a mean of per-utterance WERs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace voxperf {

std::string normalize_transcript(std::string_view text);
std::vector<std::string> transcript_words(std::string_view text);  // normalized words

struct WordErrors {
  std::size_t substitutions = 0;
  std::size_t deletions = 0;
  std::size_t insertions = 0;
  std::size_t reference_words = 0;

  std::size_t errors() const { return substitutions + deletions + insertions; }
  // Fraction (0.043 = 4.3 %); NaN when there were no reference words.
  double rate() const;
  WordErrors& operator+=(const WordErrors& other);
};

WordErrors word_errors(std::string_view reference, std::string_view hypothesis);

}  // namespace voxperf
