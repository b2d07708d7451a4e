#include "server/ngram_lm.h"

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "harness/input_error.h"

namespace voxperf::refserver {
namespace {

constexpr std::size_t kCandidatePool = 1000;  // words a decode step scores
constexpr std::size_t kCandidates = 64;  // the most probable successors a step samples among (top-k)

bool is_marker(const char* spelling) { return spelling[0] == '<' || spelling[0] == '['; }  // <s>, </s>, <unk>

// A prompt word as the LM spells its words: lower case, letters and apostrophes.
std::string normalized(const std::string& word) {
  std::string out;
  for (char c : word) {
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '\'') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::filesystem::path NgramLm::default_path() { return "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"; }

NgramLm::NgramLm(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw InputError(path.string() + ": the trigram LM is missing (Debian package pocketsphinx-en-us)");
  }
  static std::once_flag quiet;
  std::call_once(quiet, [] { err_set_logfp(nullptr); });  // sphinxbase logs INFO lines to stderr otherwise
  logmath_ = logmath_init(1.0001, 0, 0);
  model_ = ngram_model_read(nullptr, path.c_str(), NGRAM_AUTO, logmath_retain(logmath_));  // it takes one reference
  if (!model_) throw std::runtime_error(path.string() + ": sphinxbase could not read the LM");
  unknown_ = ngram_unknown_wid(model_);
  // The candidate words of every decode step: the most probable unigrams.
  std::vector<std::pair<std::int32_t, Word>> unigrams;
  const auto size = static_cast<Word>(ngram_model_get_counts(model_)[0]);  // unigrams (get_size is the order)
  for (Word w = 0; w < size; ++w) {
    if (w == unknown_ || is_marker(ngram_word(model_, w))) continue;
    std::int32_t n_used = 0;
    unigrams.emplace_back(ngram_ng_score(model_, w, nullptr, 0, &n_used), w);
  }
  const std::size_t pool = std::min(kCandidatePool, unigrams.size());
  std::partial_sort(unigrams.begin(), unigrams.begin() + static_cast<std::ptrdiff_t>(pool), unigrams.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < pool; ++i) frequent_.push_back(unigrams[i].second);
  end_ = ngram_wid(model_, "</s>");
  if (end_ != NGRAM_INVALID_WID) frequent_.push_back(end_);  // a sentence may end: the answer's end (EOS)
}

NgramLm::~NgramLm() {
  if (model_) ngram_model_free(model_);
  logmath_free(logmath_);
}

std::size_t NgramLm::vocabulary() const { return ngram_model_get_counts(model_)[0]; }

const char* NgramLm::spelling(Word word) const { return ngram_word(model_, word); }

NgramLm::Prefill NgramLm::prefill(const std::string& text) const {
  Prefill out;
  std::vector<Word> history;
  std::string word;
  auto take = [&] {
    const std::string w = normalized(word);
    word.clear();
    if (w.empty()) return;
    Word id = ngram_wid(model_, w.c_str());
    if (id == NGRAM_INVALID_WID) id = unknown_;
    // ngram_ng_score takes the history most recent first.
    const std::size_t n = std::min<std::size_t>(2, history.size());
    std::int32_t hist[2] = {n > 0 ? history.back() : 0, n > 1 ? history[history.size() - 2] : 0};
    std::int32_t n_used = 0;
    const std::int32_t score = ngram_ng_score(model_, id, hist, static_cast<std::int32_t>(n), &n_used);
    out.log10_probability += logmath_log_to_log10(logmath_, score);
    history.push_back(id);
    ++out.words;
  };
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      take();
    } else {
      word += c;
    }
  }
  take();
  if (history.empty()) history.push_back(ngram_wid(model_, "<s>"));
  if (history.size() > 2) history.erase(history.begin(), history.end() - 2);
  out.context = std::move(history);
  return out;
}

NgramLm::Word NgramLm::next(std::vector<Word>& context, std::mt19937_64& rng, bool may_end) const {
  // Score every candidate word after the last two (the trigram, or its back-off), keep the most probable,
  // and draw one of them by probability (top-k sampling).
  const Word w2 = context.back();
  const Word w1 = context.size() >= 2 ? context[context.size() - 2] : NGRAM_INVALID_WID;
  std::vector<std::pair<std::int32_t, Word>> scored;
  scored.reserve(frequent_.size());
  for (Word candidate : frequent_) {
    if (candidate == end_ && !may_end) continue;
    std::int32_t n_used = 0;
    const std::int32_t score = w1 == NGRAM_INVALID_WID ? ngram_bg_score(model_, candidate, w2, &n_used)
                                                       : ngram_tg_score(model_, candidate, w2, w1, &n_used);
    scored.emplace_back(score, candidate);
  }
  const std::size_t keep = std::min(kCandidates, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep), scored.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<double> weights;
  const std::int32_t best = scored.front().first;
  for (std::size_t i = 0; i < keep; ++i) weights.push_back(logmath_exp(logmath_, scored[i].first - best));
  std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
  const Word chosen = scored[pick(rng)].second;
  context.push_back(chosen);
  if (context.size() > 2) context.erase(context.begin());
  return chosen;
}

}  // namespace voxperf::refserver
