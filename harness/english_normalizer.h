// The English text normalizer WER is computed after, applied the same way to reference and hypothesis, in the
// spirit of Whisper's EnglishTextNormalizer (its rule families, not its code), so that a transcript is not
// charged for writing what the reference says in another form. In order:
//   1. characters: lower case; [bracketed] and <angled> annotations dropped ("[noise]", "<unk>"); '-' and
//      whitespace separate words; '%' is "percent", '&' is "and"; a '.' or ',' between digits is kept in the
//      number ("3.5", "1,000" -> "1000"); other ASCII punctuation is dropped without a space ("u.s." -> "us");
//      quotes (an apostrophe at either end of a word) are dropped; non-ASCII bytes are kept.
//   2. contractions expanded: won't -> will not, can't -> can not, shan't -> shall not, let's -> let us,
//      ain't -> is not, then n't -> " not", 're -> " are", 'll -> " will", 've -> " have", 'm -> " am",
//      'd -> " would", and 's -> " is" after it/that/what/there/here/he/she/who/where/how (possessives stay).
//   3. abbreviations spelled out: mr mister, mrs missus, ms miss, dr doctor, st saint, jr junior, sr senior,
//      prof professor, capt captain, gen general, col colonel, lt lieutenant, sgt sergeant, gov governor,
//      rev reverend, hon honorable, esq esquire, vs versus, ok okay.
//   4. British spellings to American ones, from a list (colour color, honour honor, centre center, grey gray,
//      realise realize, travelled traveled ...; english_spellings() has them all).
//   5. numbers written as words become digits: "twenty five" -> "25", "one hundred and five" -> "105",
//      "two thousand and twenty" -> "2020", "three point five" -> "3.5", years said in pairs "nineteen
//      eighty four" -> "1984"; digits stay digits, so "25" and "twenty five" compare equal.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace voxperf {

std::vector<std::string> english_words(std::string_view text);

// The British -> American spelling list of step 4.
const std::map<std::string, std::string>& english_spellings();

}  // namespace voxperf
