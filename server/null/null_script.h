// What voxperf-nullserver answers and when: the scripted delays and sizes every null service shares, and the
// one timer thread that holds delayed answers (no thread sleeps per request, so 10,000 streams cost next to
// no CPU). The null server does no work: what voxperf measures against it is voxperf's own cost and error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>

#include "harness/timer_queue.h"
#include "server/null/delay_model.h"

namespace voxperf::nullserver {

struct NullScript {
  NullScript(DelayModel first_delay, DelayModel later_delay, TimerQueue& timer_queue, std::uint64_t seed = 1)
      : first(first_delay, seed), later(later_delay, seed + 1), timers(timer_queue) {}

  // Before each request's first answer: a unary response, an ASR stream's final (counted from the client's
  // half-close), a TTS stream's first audio, an LLM stream's first token.
  DelayDraws first;
  // Before each later answer: the next TTS audio chunk, the next LLM token (the inter-token latency).
  DelayDraws later;
  TimerQueue& timers;
  double tts_seconds_per_char = 0.065;  // audio answered per prompt character (about FastPitch's speaking rate)
  std::chrono::milliseconds tts_chunk{160};  // audio per streamed TTS response
  std::size_t llm_tokens = 16;           // tokens of an LLM answer that asks for no max_tokens

  std::atomic<std::uint64_t> requests{0};  // calls and streams begun, every protocol
  std::atomic<std::uint64_t> messages{0};  // messages received (audio chunks, requests)

  // Runs `task` after `delay`: at once on this thread when it is zero, else on the timer thread.
  void after(Nanos delay, TimerQueue::Task task) {
    if (delay <= Nanos::zero()) return task();
    timers.at(SteadyClock::now() + delay, std::move(task));
  }
};

}  // namespace voxperf::nullserver
