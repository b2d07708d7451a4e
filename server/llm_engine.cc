#include "server/llm_engine.h"

#include <algorithm>

namespace voxperf::refserver {

TokenChannel::Item TokenChannel::next() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return !items_.empty(); });
  Item item = std::move(items_.front());
  items_.pop_front();
  return item;
}

void TokenChannel::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

bool TokenChannel::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void TokenChannel::push_token(std::string text, const char* finish_reason) {
  {
    std::lock_guard lock(mutex_);
    items_.push_back({std::move(text), finish_reason, 0, 0});
  }
  ready_.notify_one();
}

void TokenChannel::push_end(const char* finish_reason, std::size_t prompt_tokens, std::size_t completion_tokens) {
  {
    std::lock_guard lock(mutex_);
    items_.push_back({std::nullopt, finish_reason, prompt_tokens, completion_tokens});
  }
  ready_.notify_one();
}

struct LlmEngine::Sequence {
  Generation generation;
  std::shared_ptr<TokenChannel> channel;
  std::mt19937_64 rng;
  std::vector<NgramLm::Word> context;
  std::size_t prompt_tokens = 0;
  std::size_t generated = 0;
};

LlmEngine::LlmEngine(const NgramLm& lm, std::size_t max_batch) : lm_(lm), max_batch_(max_batch) {
  thread_ = std::thread([this] { run(); });
}

LlmEngine::~LlmEngine() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  thread_.join();
  for (auto& sequence : waiting_) sequence->channel->push_end("abort", 0, 0);
}

std::shared_ptr<TokenChannel> LlmEngine::submit(Generation generation) {
  auto sequence = std::make_unique<Sequence>();
  sequence->rng.seed(generation.seed);
  sequence->generation = std::move(generation);
  sequence->channel = std::make_shared<TokenChannel>();
  auto channel = sequence->channel;
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(sequence));
    ++activity_.generations;
  }
  work_.notify_one();
  return channel;
}

LlmEngine::Activity LlmEngine::activity() const {
  std::lock_guard lock(mutex_);
  return activity_;
}

void LlmEngine::run() {
  std::vector<std::unique_ptr<Sequence>> running;
  for (;;) {
    std::vector<std::unique_ptr<Sequence>> admitted;
    {
      std::unique_lock lock(mutex_);
      work_.wait(lock, [&] { return stopping_ || !waiting_.empty() || !running.empty(); });
      if (stopping_) break;
      while (!waiting_.empty() && running.size() + admitted.size() < max_batch_) {
        admitted.push_back(std::move(waiting_.front()));
        waiting_.pop_front();
      }
    }
    // Prefill the admitted: their prompts scored, their history set; they decode in this same step.
    for (auto& sequence : admitted) {
      auto prefill = lm_.prefill(sequence->generation.prompt);
      sequence->context = std::move(prefill.context);
      sequence->prompt_tokens = prefill.words;
      running.push_back(std::move(sequence));
    }
    const std::size_t batch = running.size();
    std::size_t tokens = 0;
    for (auto it = running.begin(); it != running.end();) {
      Sequence& s = **it;
      if (s.channel->closed()) {  // the client left: free the slot
        it = running.erase(it);
        continue;
      }
      // An answer has at least one token; then EOS may end it, unless ignore_eos or min_tokens say not yet.
      const bool may_end = !s.generation.ignore_eos && s.generated >= std::max<std::size_t>(1, s.generation.min_tokens);
      const NgramLm::Word word = lm_.next(s.context, s.rng, may_end);
      const bool stopped = word == lm_.end();
      if (!stopped) {
        ++s.generated;
        ++tokens;
        const bool last = s.generated >= s.generation.max_tokens;
        s.channel->push_token(std::string(" ") + lm_.spelling(word), last ? "length" : "");
      }
      if (stopped || s.generated >= s.generation.max_tokens) {
        s.channel->push_end(stopped ? "stop" : "length", s.prompt_tokens, s.generated);
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    std::lock_guard lock(mutex_);
    ++activity_.steps;
    activity_.tokens += tokens;
    activity_.peak_batch = std::max(activity_.peak_batch, batch);
  }
  for (auto& sequence : running) sequence->channel->push_end("abort", sequence->prompt_tokens, sequence->generated);
}

}  // namespace voxperf::refserver
