// The reference server's language model: the CMU en-us trigram LM that pocketsphinx-en-us installs, read
// through sphinxbase's ngram API. Prefill scores a prompt word by word (log probability under the trigram
// model); each decode step samples the next word from the trigram successors of the last two words, backing
// off as the model does, each candidate weighted by
// its probability. sphinxbase 0.8 exports no n-gram iterators, so a step scores a fixed pool of the 1,000 most
// probable words with ngram_tg_score and samples among the 64 best (top-k): real work per token, which is what
// makes the server's steps slower as its batch grows. A statistical LM: words, not subword tokens; fluent
// locally, not meaningful.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

struct ngram_model_s;
struct logmath_s;

namespace voxperf::refserver {

class NgramLm {
 public:
  using Word = std::int32_t;

  // Throws InputError naming the file when it is missing, std::runtime_error when sphinxbase can not read it.
  explicit NgramLm(const std::filesystem::path& path = default_path());
  ~NgramLm();
  NgramLm(const NgramLm&) = delete;
  NgramLm& operator=(const NgramLm&) = delete;

  static std::filesystem::path default_path();  // /usr/share/pocketsphinx/model/en-us/en-us.lm.bin

  // The prompt's words as model words (unknown ones map to <unk>) and their summed log10 probability.
  struct Prefill {
    std::vector<Word> context;  // the last two words, the decode steps' history
    double log10_probability = 0;
    std::size_t words = 0;
  };
  Prefill prefill(const std::string& text) const;

  // The next word after `context` (its last two words), sampled with `rng`; context grows by it. With
  // `may_end`, the end of sentence </s> is a candidate too (the answer's EOS): then next() may return end().
  Word next(std::vector<Word>& context, std::mt19937_64& rng, bool may_end = false) const;
  Word end() const { return end_; }

  const char* spelling(Word word) const;
  std::size_t vocabulary() const;

 private:
  logmath_s* logmath_ = nullptr;
  ngram_model_s* model_ = nullptr;
  Word unknown_ = 0;
  Word end_ = -1;
  std::vector<Word> frequent_;  // the candidates of every step: the most probable unigrams
};

}  // namespace voxperf::refserver
