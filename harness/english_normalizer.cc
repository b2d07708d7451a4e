#include "harness/english_normalizer.h"

#include <cctype>
#include <cstdint>
#include <optional>

namespace voxperf {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Step 1: characters to words.
std::vector<std::string> basic_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto end_word = [&] {
    while (!word.empty() && word.front() == '\'') word.erase(word.begin());
    while (!word.empty() && word.back() == '\'') word.pop_back();
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  char closing = 0;  // inside an annotation until this character
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (closing != 0) {
      if (c == static_cast<unsigned char>(closing)) closing = 0;
      continue;
    }
    if (c == '[' || c == '<') {
      end_word();
      closing = c == '[' ? ']' : '>';
    } else if (c == '-' || std::isspace(c)) {
      end_word();
    } else if (c == '%' || c == '&') {
      end_word();
      words.push_back(c == '%' ? "percent" : "and");
    } else if ((c == '.' || c == ',') && !word.empty() && is_digit(word.back()) && i + 1 < text.size() &&
               is_digit(text[i + 1])) {
      if (c == '.') word.push_back('.');  // 3.5 stays 3.5; 1,000 becomes 1000
    } else if (c < 0x80 && std::ispunct(c) && c != '\'') {
      continue;
    } else {
      word.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
  }
  end_word();
  return words;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Step 2.
void expand_contraction(const std::string& w, std::vector<std::string>& out) {
  static const std::map<std::string, std::vector<std::string>> whole = {
      {"won't", {"will", "not"}}, {"can't", {"can", "not"}}, {"shan't", {"shall", "not"}},
      {"let's", {"let", "us"}},   {"ain't", {"is", "not"}}};
  static const std::map<std::string, std::string> is_after = {
      {"it", ""}, {"that", ""}, {"what", ""}, {"there", ""}, {"here", ""}, {"he", ""}, {"she", ""}, {"who", ""},
      {"where", ""}, {"how", ""}};
  if (w.find('\'') == std::string::npos) return out.push_back(w);
  if (auto it = whole.find(w); it != whole.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
    return;
  }
  static const std::pair<const char*, const char*> suffixes[] = {
      {"n't", "not"}, {"'re", "are"}, {"'ll", "will"}, {"'ve", "have"}, {"'m", "am"}, {"'d", "would"}};
  for (const auto& [suffix, word] : suffixes) {
    if (ends_with(w, suffix)) {
      out.push_back(w.substr(0, w.size() - std::string_view(suffix).size()));
      out.push_back(word);
      return;
    }
  }
  if (ends_with(w, "'s") && is_after.count(w.substr(0, w.size() - 2)) > 0) {
    out.push_back(w.substr(0, w.size() - 2));
    out.push_back("is");
    return;
  }
  out.push_back(w);
}

// Step 3.
const std::map<std::string, std::string>& abbreviations() {
  static const std::map<std::string, std::string> table = {
      {"mr", "mister"},    {"mrs", "missus"},   {"ms", "miss"},       {"dr", "doctor"},   {"st", "saint"},
      {"jr", "junior"},    {"sr", "senior"},    {"prof", "professor"}, {"capt", "captain"}, {"gen", "general"},
      {"col", "colonel"},  {"lt", "lieutenant"}, {"sgt", "sergeant"}, {"gov", "governor"}, {"rev", "reverend"},
      {"hon", "honorable"}, {"esq", "esquire"}, {"vs", "versus"},     {"ok", "okay"}};
  return table;
}

// Step 5: number words.
struct NumberWord {
  std::int64_t value;
  enum Kind { kUnit, kTeen, kTens, kHundred, kScale } kind;
};

std::optional<NumberWord> number_word(const std::string& w) {
  static const std::map<std::string, NumberWord> table = [] {
    std::map<std::string, NumberWord> t;
    const char* units[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    for (int i = 0; i < 10; ++i) t[units[i]] = {i, NumberWord::kUnit};
    const char* teens[] = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                           "eighteen", "nineteen"};
    for (int i = 0; i < 10; ++i) t[teens[i]] = {10 + i, NumberWord::kTeen};
    const char* tens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int i = 0; i < 8; ++i) t[tens[i]] = {20 + 10 * i, NumberWord::kTens};
    t["hundred"] = {100, NumberWord::kHundred};
    t["thousand"] = {1000, NumberWord::kScale};
    t["million"] = {1'000'000, NumberWord::kScale};
    t["billion"] = {1'000'000'000, NumberWord::kScale};
    return t;
  }();
  auto it = table.find(w);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

bool all_digits(const std::string& w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (!is_digit(c) && c != '.') return false;
  }
  return is_digit(w.front()) && is_digit(w.back());
}

// Reads the number that starts at words[i] (as many words as form one), or nothing.
std::optional<std::string> read_number(const std::vector<std::string>& words, std::size_t& i) {
  std::size_t j = i;
  std::int64_t total = 0, group = 0;
  bool any = false;
  int last = -1;  // kind of the previous number word
  std::optional<std::int64_t> year_head;  // "nineteen" of "nineteen eighty four"
  while (j < words.size()) {
    const std::string& w = words[j];
    if (w == "and" && any && (last == NumberWord::kHundred || last == NumberWord::kScale) && j + 1 < words.size() &&
        number_word(words[j + 1]) && number_word(words[j + 1])->kind <= NumberWord::kTens) {
      ++j;
      continue;
    }
    const auto n = number_word(w);
    if (!n) break;
    if (n->kind == NumberWord::kUnit || n->kind == NumberWord::kTeen) {
      if (last == NumberWord::kTens && n->kind == NumberWord::kUnit && group % 10 == 0) {
        group += n->value;
      } else if (!any || last == NumberWord::kHundred || last == NumberWord::kScale) {
        group += n->value;
      } else if (!year_head && total == 0 && group >= 10 && group < 100 && n->kind == NumberWord::kTeen) {
        year_head = group;  // "nineteen twelve"
        group = n->value;
      } else {
        break;  // "one two": two numbers
      }
    } else if (n->kind == NumberWord::kTens) {
      if (!any || last == NumberWord::kHundred || last == NumberWord::kScale) {
        group += n->value;
      } else if (!year_head && total == 0 && group >= 10 && group < 100) {
        year_head = group;  // "nineteen eighty"
        group = n->value;
      } else {
        break;
      }
    } else if (n->kind == NumberWord::kHundred) {
      if (year_head || (group % 100 == 0 && group != 0)) break;
      group = (group == 0 ? 1 : group) * 100;
    } else {  // thousand, million, billion
      if (year_head) break;
      total += (group == 0 ? 1 : group) * n->value;
      group = 0;
    }
    any = true;
    last = n->kind;
    ++j;
  }
  if (!any) return std::nullopt;
  std::string digits = year_head ? std::to_string(*year_head) + (group < 10 ? "0" : "") + std::to_string(group)
                                 : std::to_string(total + group);
  // "three point five"
  if (j + 1 < words.size() && words[j] == "point" && number_word(words[j + 1]) &&
      number_word(words[j + 1])->kind == NumberWord::kUnit) {
    digits += ".";
    ++j;
    while (j < words.size() && number_word(words[j]) && number_word(words[j])->kind == NumberWord::kUnit) {
      digits += std::to_string(number_word(words[j])->value);
      ++j;
    }
  }
  i = j;
  return digits;
}

}  // namespace

const std::map<std::string, std::string>& english_spellings() {
  static const std::map<std::string, std::string> table = {
      {"colour", "color"},       {"colours", "colors"},       {"coloured", "colored"},   {"honour", "honor"},
      {"honours", "honors"},     {"honoured", "honored"},     {"favour", "favor"},       {"favours", "favors"},
      {"favourite", "favorite"}, {"labour", "labor"},         {"neighbour", "neighbor"}, {"neighbours", "neighbors"},
      {"neighbourhood", "neighborhood"}, {"behaviour", "behavior"}, {"humour", "humor"}, {"rumour", "rumor"},
      {"vapour", "vapor"},       {"harbour", "harbor"},       {"parlour", "parlor"},     {"splendour", "splendor"},
      {"endeavour", "endeavor"}, {"armour", "armor"},         {"odour", "odor"},         {"vigour", "vigor"},
      {"centre", "center"},      {"centres", "centers"},      {"theatre", "theater"},    {"metre", "meter"},
      {"metres", "meters"},      {"litre", "liter"},          {"fibre", "fiber"},        {"sombre", "somber"},
      {"grey", "gray"},          {"greys", "grays"},          {"realise", "realize"},    {"realised", "realized"},
      {"recognise", "recognize"}, {"recognised", "recognized"}, {"organise", "organize"}, {"organised", "organized"},
      {"apologise", "apologize"}, {"civilised", "civilized"},  {"travelled", "traveled"}, {"travelling", "traveling"},
      {"traveller", "traveler"}, {"cancelled", "canceled"},   {"jewellery", "jewelry"},  {"defence", "defense"},
      {"offence", "offense"},    {"licence", "license"},      {"practise", "practice"},  {"programme", "program"},
      {"catalogue", "catalog"},  {"dialogue", "dialog"},      {"analyse", "analyze"},    {"plough", "plow"},
      {"cheque", "check"},       {"tyre", "tire"},            {"gaol", "jail"},          {"mould", "mold"},
      {"moustache", "mustache"}, {"sceptical", "skeptical"},  {"storey", "story"},       {"whilst", "while"}};
  return table;
}

std::vector<std::string> english_words(std::string_view text) {
  std::vector<std::string> expanded;
  for (const auto& w : basic_words(text)) expand_contraction(w, expanded);
  for (auto& w : expanded) {
    if (auto it = abbreviations().find(w); it != abbreviations().end()) {
      w = it->second;
    } else if (auto s = english_spellings().find(w); s != english_spellings().end()) {
      w = s->second;
    }
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < expanded.size();) {
    if (all_digits(expanded[i])) {
      out.push_back(expanded[i++]);
    } else if (auto number = read_number(expanded, i)) {
      out.push_back(std::move(*number));
    } else {
      out.push_back(expanded[i++]);
    }
  }
  return out;
}

}  // namespace voxperf
