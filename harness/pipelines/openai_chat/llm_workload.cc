#include "harness/pipelines/openai_chat/llm_workload.h"

#include <cmath>
#include <fstream>
#include <random>

#include "harness/input_error.h"
#include "harness/prompts.h"

namespace voxperf {
namespace {

std::size_t draw_length(std::mt19937_64& rng, LengthDraw draw) {
  double value = draw.mean;
  if (draw.stddev > 0) value = std::normal_distribution<double>(draw.mean, draw.stddev)(rng);
  return static_cast<std::size_t>(std::max(1.0, std::round(value)));
}

std::size_t count_words(const std::string& text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

}  // namespace

std::vector<std::string> read_corpus(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": can not read the corpus");
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  if (words.empty()) throw InputError(path.string() + ": the corpus has no words");
  return words;
}

std::vector<LlmPrompt> synthetic_prompts(const std::vector<std::string>& corpus, LengthDraw input, LengthDraw output,
                                         std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<LlmPrompt> prompts;
  for (std::size_t i = 0; i < count; ++i) {
    LlmPrompt prompt;
    prompt.id = "synthetic-" + std::to_string(i);
    prompt.words = draw_length(rng, input);
    std::size_t at = std::uniform_int_distribution<std::size_t>(0, corpus.size() - 1)(rng);
    for (std::size_t w = 0; w < prompt.words; ++w, at = (at + 1) % corpus.size()) {
      if (w > 0) prompt.text += ' ';
      prompt.text += corpus[at];
    }
    prompt.max_tokens = draw_length(rng, output);
    prompts.push_back(std::move(prompt));
  }
  return prompts;
}

std::vector<LlmPrompt> file_prompts(const std::filesystem::path& path, LengthDraw output, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<LlmPrompt> prompts;
  for (auto& p : read_prompts(path)) {
    LlmPrompt prompt;
    prompt.id = std::move(p.id);
    prompt.words = count_words(p.text);
    prompt.text = std::move(p.text);
    prompt.max_tokens = draw_length(rng, output);
    prompts.push_back(std::move(prompt));
  }
  return prompts;
}

}  // namespace voxperf
