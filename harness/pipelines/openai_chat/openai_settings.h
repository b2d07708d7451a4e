// The targets-file fields of an openai_chat target: the served model, the endpoint's protocol details, and the
// workload genai-perf would describe with --synthetic-input-tokens-mean/-stddev, --output-tokens-mean/-stddev
// and --input-file (or a sweep of (input, output) token pairs, one case mode each).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/pipelines/pipeline.h"

namespace voxperf {

class Fields;

// One (input, output) token pair of a sweep: case mode "<mode>-isl<input>-osl<output>".
struct TokenPair {
  std::size_t input = 0;
  std::size_t output = 0;
};

struct OpenAiChatSettings final : PipelineSettings {
  std::string model_name;  // the "model" the server serves; default the target's "model"
  bool stream = true;      // SSE, with stream_options.include_usage
  bool http2 = false;
  // Synthetic prompts: words taken in order from `corpus` from a random start (genai-perf slices its
  // Shakespeare corpus the same way), as many as a normal draw of mean/stddev; or the prompts of a file.
  std::filesystem::path corpus;
  std::filesystem::path prompts;  // one prompt per line ("id|text" allowed); replaces the synthetic ones
  double input_tokens_mean = 200;
  double input_tokens_stddev = 0;
  double output_tokens_mean = 100;
  double output_tokens_stddev = 0;
  std::vector<TokenPair> token_pairs;  // empty: one case mode per listed mode, with the means above
  std::size_t dataset_entries = 100;   // prompts generated, reused in turn
  std::uint64_t seed = 0;
  // Ask for exactly max_tokens: sends vLLM's and NIM's "min_tokens" (= max_tokens) and "ignore_eos": true.
  // Off for servers that reject unknown fields (OpenAI's own API).
  bool force_output_tokens = true;
  nlohmann::json extra_body = nlohmann::json::object();  // merged into every request body

  void describe(nlohmann::json& target) const override;
};

std::vector<std::string> openai_chat_fields();
std::shared_ptr<OpenAiChatSettings> parse_openai_chat(Fields& fields, const std::string& model,
                                                      const std::filesystem::path& base);

// A case mode's parts: "chat-isl1000-osl200" -> {"chat", {1000, 200}}; "chat" -> {"chat", nothing}.
struct CaseMode {
  std::string api;  // chat or completions
  std::optional<TokenPair> pair;
};
CaseMode split_case_mode(const std::string& mode);
std::string case_mode_name(const std::string& api, const TokenPair& pair);

}  // namespace voxperf
