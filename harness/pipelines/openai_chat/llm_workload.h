// What an openai_chat case sends: a data set of prompts, each with the max_tokens its requests ask for.
// Synthetic prompts are cut from a corpus as genai-perf cuts them from Shakespeare: a contiguous run of words
// from a random start (wrapping round), of length max(1, round(N(mean, stddev))). Lengths are in words, the
// client's only unit without the server's tokenizer; ISL in the results is the server's usage.prompt_tokens
// whenever the server reports it. max_tokens is max(1, round(N(mean, stddev))), as genai-perf draws it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace voxperf {

struct LlmPrompt {
  std::string id;
  std::string text;
  std::size_t words = 0;
  std::size_t max_tokens = 1;
};

struct LengthDraw {
  double mean = 1;
  double stddev = 0;
};

// The whitespace-separated words of a text file. Throws InputError naming the file when it can not be read or
// has no words.
std::vector<std::string> read_corpus(const std::filesystem::path& path);

// `count` prompts from `corpus`, seeded: the same settings give the same prompts on every machine that has the
// same standard library.
std::vector<LlmPrompt> synthetic_prompts(const std::vector<std::string>& corpus, LengthDraw input, LengthDraw output,
                                         std::size_t count, std::uint64_t seed);

// The prompts of a prompts file (harness/prompts.h), each given a max_tokens draw.
std::vector<LlmPrompt> file_prompts(const std::filesystem::path& path, LengthDraw output, std::uint64_t seed);

}  // namespace voxperf
