// The English normalizer WER is computed after: each rule family of english_normalizer.h, and WER across the
// forms it makes equal.
#include <gtest/gtest.h>

#include "harness/english_normalizer.h"
#include "harness/wer.h"

namespace voxperf {
namespace {

std::string norm(std::string_view text) { return normalize_transcript(text); }

TEST(EnglishNormalizer, CharactersCaseAndPunctuation) {
  EXPECT_EQ(norm("Hello, World!"), "hello world");
  EXPECT_EQ(norm("well-known U.S.A."), "well known usa");
  EXPECT_EQ(norm("a [noise] b <unk> c"), "a b c");
  EXPECT_EQ(norm("'quoted' words"), "quoted words");
  EXPECT_EQ(norm("50% & more"), "50 percent and more");
  EXPECT_EQ(norm("3.5 and 1,000 dots."), "3.5 and 1000 dots");
  EXPECT_EQ(norm("tab\tand\nnewline"), "tab and newline");
  EXPECT_EQ(norm(""), "");
}

TEST(EnglishNormalizer, Contractions) {
  EXPECT_EQ(norm("I won't, can't and shan't"), "i will not can not and shall not");
  EXPECT_EQ(norm("Let's go; it ain't so"), "let us go it is not so");
  EXPECT_EQ(norm("they're we'll you've I'm she'd didn't"), "they are we will you have i am she would did not");
  EXPECT_EQ(norm("It's what's there's"), "it is what is there is");
  EXPECT_EQ(norm("John's hat"), "john's hat");  // a possessive stays
}

TEST(EnglishNormalizer, Abbreviations) {
  EXPECT_EQ(norm("Mr. John Dashwood and Mrs. Dashwood"), "mister john dashwood and missus dashwood");
  EXPECT_EQ(norm("Dr Smith of St Paul's"), "doctor smith of saint paul's");
  EXPECT_EQ(norm("Capt. Wentworth, Esq."), "captain wentworth esquire");
}

TEST(EnglishNormalizer, BritishSpellings) {
  EXPECT_EQ(norm("The colour of the grey centre"), "the color of the gray center");
  EXPECT_EQ(norm("she realised he travelled"), "she realized he traveled");
  EXPECT_EQ(english_spellings().at("honour"), "honor");
}

TEST(EnglishNormalizer, NumbersAsWordsOrDigits) {
  EXPECT_EQ(norm("twenty five"), "25");
  EXPECT_EQ(norm("twenty-five"), "25");
  EXPECT_EQ(norm("one hundred and five men"), "105 men");
  EXPECT_EQ(norm("three hundred twenty one"), "321");
  EXPECT_EQ(norm("two thousand and twenty"), "2020");
  EXPECT_EQ(norm("five million"), "5000000");
  EXPECT_EQ(norm("in nineteen eighty four"), "in 1984");
  EXPECT_EQ(norm("three point one four"), "3.14");
  EXPECT_EQ(norm("one two three"), "1 2 3");  // three numbers, not one
  EXPECT_EQ(norm("the 25 men"), "the 25 men");
}

TEST(EnglishNormalizer, WerCountsNoErrorForTheSameWordsInAnotherForm) {
  EXPECT_EQ(word_errors("and mister john dashwood", "And Mr. John Dashwood.").errors(), 0u);
  EXPECT_EQ(word_errors("twenty five years", "25 years").errors(), 0u);
  EXPECT_EQ(word_errors("it is their colour", "it's their color").errors(), 0u);
  // Reference words are counted after normalization: "twenty five" is one word, 25.
  const WordErrors e = word_errors("twenty five years", "26 years");
  EXPECT_EQ(e.reference_words, 2u);
  EXPECT_EQ(e.substitutions, 1u);
}

}  // namespace
}  // namespace voxperf
