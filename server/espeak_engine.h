// The TTS engine: espeak-ng, driven from one thread of its own because espeak-ng keeps its state in globals
// (one synthesis at a time per process; engines of several servers in one process take turns). Requests admitted by the profile are served round-robin, one text
// segment (a clause) at a time, so every admitted request gets its first audio after one segment of each
// request ahead of it, as a batched model would; requests beyond the batch size wait in the admission queue.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace voxperf::refserver {

struct Voice {
  std::string name;           // what clients send: "English-US.Female-1"
  std::string espeak_name;    // what espeak-ng loads: "en-us+f3"
};

// One request in the engine. Callbacks run on the engine thread and must not block.
struct SynthesisJob {
  const Voice* voice = nullptr;
  std::vector<std::string> segments;
  std::function<bool()> cancelled;                          // checked before each segment
  std::function<void(std::span<const std::int16_t>)> audio;  // engine-rate samples, as produced
  std::function<void()> segment_done;                       // optional: after each segment's last audio
  std::function<void(bool completed)> done;                 // false when cancelled part-way

  std::size_t next_segment = 0;
};

// Splits text into clauses after . , ; : ! ? so that requests interleave at natural pauses.
std::vector<std::string> split_segments(const std::string& text);
// Splits text into sentences after . ! ? (CosyVoice's HTTP server yields one whole sentence per chunk).
std::vector<std::string> split_sentences(const std::string& text);

class EspeakEngine {
 public:
  // Called on the engine thread before each segment with its index in its request. A seam for tests that
  // must hold the engine at a known point; servers leave it empty.
  using SegmentHook = std::function<void(std::size_t segment)>;

  // Loads espeak-ng and its voice data; throws std::runtime_error with espeak-ng's message on failure.
  // slowdown > 1 emulates a slower machine (server/cpu_slowdown.h).
  explicit EspeakEngine(SegmentHook hook = {}, double slowdown = 1.0);
  // Finishes the segment in progress, reports every job left as not completed, and joins. espeak-ng itself
  // stays loaded for the next engine.
  ~EspeakEngine();
  EspeakEngine(const EspeakEngine&) = delete;
  EspeakEngine& operator=(const EspeakEngine&) = delete;

  int sample_rate() const { return sample_rate_; }
  const std::vector<Voice>& voices() const { return voices_; }
  const Voice* find_voice(const std::string& name) const;  // "" gives the default; null when unknown

  void submit(std::shared_ptr<SynthesisJob> job);

 private:
  void loop();
  void synthesize(SynthesisJob& job);

  SegmentHook hook_;
  double slowdown_;
  int sample_rate_ = 0;
  std::vector<Voice> voices_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<SynthesisJob>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace voxperf::refserver
