#include "harness/wer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace voxperf {
namespace {

TEST(Normalize, LowerCasesDropsPunctuationKeepsApostrophes) {
  EXPECT_EQ(normalize_transcript("Hello, World!"), "hello world");
  EXPECT_EQ(normalize_transcript("  It's   a  test.  "), "it is a test");
  EXPECT_EQ(normalize_transcript("twenty-one well-known"), "21 well known");
  EXPECT_EQ(normalize_transcript("U.S.A. (approx.)"), "usa approx");
  EXPECT_EQ(normalize_transcript("tab\tand\nnewline"), "tab and newline");
  EXPECT_EQ(normalize_transcript(""), "");
}

TEST(WordErrors, IdenticalAfterNormalizationIsZero) {
  const auto e = word_errors("Mister Quilter is the apostle.", "mister quilter is the apostle");
  EXPECT_EQ(e.errors(), 0u);
  EXPECT_EQ(e.reference_words, 5u);
  EXPECT_DOUBLE_EQ(e.rate(), 0.0);
}

TEST(WordErrors, CountsSubstitutionsDeletionsInsertions) {
  // ref: the cat sat on the mat (6); hyp: the cat sit on mat mat today
  // alignment: the=the cat=cat sat->sit (S) on=on the->mat (S) mat=mat +today (I)  => S=2 I=1 D=0
  // (an alignment with D+I instead of S would cost more).
  const auto e = word_errors("the cat sat on the mat", "the cat sit on mat mat today");
  EXPECT_EQ(e.reference_words, 6u);
  EXPECT_EQ(e.errors(), 3u);
  EXPECT_EQ(e.substitutions, 2u);
  EXPECT_EQ(e.insertions, 1u);
  EXPECT_EQ(e.deletions, 0u);
  EXPECT_DOUBLE_EQ(e.rate(), 0.5);
}

TEST(WordErrors, DeletionsAndEmptyHypothesis) {
  const auto e = word_errors("one two three four", "one four");
  EXPECT_EQ(e.deletions, 2u);
  EXPECT_EQ(e.substitutions, 0u);
  EXPECT_EQ(e.insertions, 0u);

  const auto empty = word_errors("one two three", "");
  EXPECT_EQ(empty.deletions, 3u);
  EXPECT_DOUBLE_EQ(empty.rate(), 1.0);
}

TEST(WordErrors, InsertionsCanExceedOneHundredPercent) {
  const auto e = word_errors("yes", "yes yes yes");
  EXPECT_EQ(e.insertions, 2u);
  EXPECT_DOUBLE_EQ(e.rate(), 2.0);
}

TEST(WordErrors, NoReferenceWordsIsNaN) {
  EXPECT_TRUE(std::isnan(word_errors("", "").rate()));
  EXPECT_EQ(word_errors("", "spurious").insertions, 1u);
}

TEST(WordErrors, WindowRateIsSumOfErrorsOverSumOfWords) {
  WordErrors total;
  total += word_errors("a b c d e f g h i j", "a b c d e f g h i j");  // 0 / 10
  total += word_errors("k l", "x l");                                  // 1 / 2
  EXPECT_EQ(total.reference_words, 12u);
  EXPECT_DOUBLE_EQ(total.rate(), 1.0 / 12.0);  // not the mean of 0 and 0.5
}

}  // namespace
}  // namespace voxperf
