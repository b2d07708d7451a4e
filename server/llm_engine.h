// The reference server's LLM engine: continuous batching over the n-gram LM (ngram_lm.h), in the way vLLM
// schedules. One engine thread runs steps back to back while there is work. Each step first admits waiting
// requests while fewer than the profile's max_batch sequences are running (vLLM's max_num_seqs) and prefills
// them (scores their prompts; each gets its first token in that step), then samples one token for every
// running sequence. A step's time is its real CPU work, which grows with the batch: so TTFT climbs with
// concurrency (waiting for a slot, then for a step), and ITL climbs with the batch size, as vLLM's do.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/ngram_lm.h"

namespace voxperf::refserver {

struct Generation {
  std::string prompt;
  std::size_t max_tokens = 16;
  std::size_t min_tokens = 0;
  bool ignore_eos = false;
  std::uint64_t seed = 0;
};

// One generation's tokens, handed from the engine thread to the HTTP thread that streams them.
class TokenChannel {
 public:
  struct Item {
    std::optional<std::string> token;  // the next token's text (" word"); empty when the generation ended
    const char* finish_reason = "";    // the last token's and the end's: "length", "stop" (EOS) or "abort"
    std::size_t prompt_tokens = 0;
    std::size_t completion_tokens = 0;
  };
  // Blocks until the next item; the one with no token is the last.
  Item next();
  // The client went away: the engine drops the sequence at its next step.
  void close();
  bool closed() const;

  void push_token(std::string text, const char* finish_reason = "");
  void push_end(const char* finish_reason, std::size_t prompt_tokens, std::size_t completion_tokens);

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Item> items_;
  bool closed_ = false;
};

struct LlmEngineActivity {
  std::size_t generations = 0, tokens = 0, steps = 0, peak_batch = 0;
};

class LlmEngine {
 public:
  LlmEngine(const NgramLm& lm, std::size_t max_batch);
  ~LlmEngine();  // finishes the sequences running (finish_reason "abort") and stops
  LlmEngine(const LlmEngine&) = delete;
  LlmEngine& operator=(const LlmEngine&) = delete;

  std::shared_ptr<TokenChannel> submit(Generation generation);

  using Activity = LlmEngineActivity;
  Activity activity() const;

 private:
  struct Sequence;
  void run();

  const NgramLm& lm_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::deque<std::unique_ptr<Sequence>> waiting_;
  bool stopping_ = false;
  Activity activity_;
  std::thread thread_;
};

}  // namespace voxperf::refserver
