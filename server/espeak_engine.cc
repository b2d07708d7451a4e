#include "server/espeak_engine.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <cctype>
#include <stdexcept>

#include "server/cpu_slowdown.h"

namespace voxperf::refserver {
namespace {

// What one espeak_ng_Synthesize call hands its callbacks through each event's user_data: the job, and for an
// emulated slower machine the CPU time at which the work since the last buffer began.
struct SegmentCall {
  SynthesisJob* job;
  double slowdown;
  double work_started;

  // Stretches the engine work since the last buffer, so that each buffer comes out `slowdown` times later.
  void stretch() {
    if (slowdown <= 1.0) return;
    spin_cpu((slowdown - 1.0) * (thread_cpu_seconds() - work_started));
    work_started = thread_cpu_seconds();
  }
};

int on_samples(short* samples, int count, espeak_EVENT* events) {
  if (samples == nullptr || count <= 0 || events == nullptr) return 0;
  auto* call = static_cast<SegmentCall*>(events->user_data);
  if (call == nullptr) return 0;
  call->stretch();
  call->job->audio(std::span<const std::int16_t>(samples, static_cast<std::size_t>(count)));
  return 0;
}

std::string status_message(espeak_ng_STATUS status) {
  char text[512] = {};
  espeak_ng_GetStatusCodeMessage(status, text, sizeof(text));
  return text;
}

constexpr int kBufferMs = 200;  // audio per callback, and so per streamed chunk before resampling

// espeak-ng's state is global to the process: it is loaded once, never terminated (espeak_ng_Terminate hangs
// in synchronous mode here, and a second initialization is not supported), and used under one lock, so that
// several engines in one process (two servers with different profiles) take turns.
struct Runtime {
  std::mutex mutex;
  std::string voice;  // the voice espeak-ng has loaded
  int sample_rate = 0;
  std::string error;  // why loading failed, if it did
};

Runtime& runtime() {
  static Runtime* loaded = [] {
    auto* r = new Runtime;
    espeak_ng_InitializePath(nullptr);
    espeak_ng_ERROR_CONTEXT context = nullptr;
    espeak_ng_STATUS status = espeak_ng_Initialize(&context);
    if (status != ENS_OK) {
      espeak_ng_ClearErrorContext(&context);
      r->error = "espeak-ng: " + status_message(status) +
                 " (install the Debian package espeak-ng-data; tools/setup.sh does)";
      return r;
    }
    status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kBufferMs, nullptr);
    if (status != ENS_OK) {
      r->error = "espeak-ng: " + status_message(status);
      return r;
    }
    espeak_SetSynthCallback(on_samples);
    r->sample_rate = espeak_ng_GetSampleRate();
    return r;
  }();
  return *loaded;
}

}  // namespace

namespace {

std::vector<std::string> split_after(const std::string& text, std::string_view marks) {
  std::vector<std::string> segments;
  std::string current;
  auto flush = [&] {
    const auto first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) segments.push_back(current.substr(first));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    current += text[i];
    const bool pause = marks.find(text[i]) != std::string_view::npos;
    if (pause && (i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1])))) flush();
  }
  flush();
  return segments;
}

}  // namespace

std::vector<std::string> split_segments(const std::string& text) { return split_after(text, ".,;:!?"); }
std::vector<std::string> split_sentences(const std::string& text) { return split_after(text, ".!?"); }

EspeakEngine::EspeakEngine(SegmentHook hook, double slowdown) : hook_(std::move(hook)), slowdown_(slowdown) {
  auto& espeak = runtime();
  if (!espeak.error.empty()) throw std::runtime_error(espeak.error);
  sample_rate_ = espeak.sample_rate;
  // Names follow Riva's "<language>.<subvoice>" so that clients written for Riva's English voices work.
  voices_ = {{"English-US.Female-1", "en-us+f3"}, {"English-US.Male-1", "en-us+m3"}};
  std::lock_guard lock(espeak.mutex);
  for (const auto& voice : voices_) {
    const espeak_ng_STATUS status = espeak_ng_SetVoiceByName(voice.espeak_name.c_str());
    if (status != ENS_OK) {
      throw std::runtime_error("espeak-ng: voice " + voice.espeak_name + ": " + status_message(status));
    }
    espeak.voice = voice.espeak_name;
  }
  thread_ = std::thread([this] { loop(); });
}

EspeakEngine::~EspeakEngine() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

const Voice* EspeakEngine::find_voice(const std::string& name) const {
  if (name.empty()) return &voices_.front();
  for (const auto& voice : voices_) {
    if (voice.name == name) return &voice;
  }
  // "English-US" alone means its first subvoice, as in Riva.
  for (const auto& voice : voices_) {
    if (voice.name.starts_with(name + ".")) return &voice;
  }
  return nullptr;
}

void EspeakEngine::submit(std::shared_ptr<SynthesisJob> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void EspeakEngine::loop() {
  for (;;) {
    std::shared_ptr<SynthesisJob> job;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      stopping = stopping_;
    }
    if (stopping || job->cancelled()) {
      job->done(false);
      continue;
    }
    if (hook_) hook_(job->next_segment);
    synthesize(*job);
    if (job->segment_done) job->segment_done();
    if (job->next_segment < job->segments.size()) {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));  // round-robin: back of the line for its next segment
    } else {
      job->done(true);
    }
  }
}

void EspeakEngine::synthesize(SynthesisJob& job) {
  auto& espeak = runtime();
  std::lock_guard lock(espeak.mutex);
  if (job.voice->espeak_name != espeak.voice) {
    espeak_ng_SetVoiceByName(job.voice->espeak_name.c_str());
    espeak.voice = job.voice->espeak_name;
  }
  const std::string& text = job.segments[job.next_segment++];
  SegmentCall call{&job, slowdown_, thread_cpu_seconds()};
  espeak_ng_Synthesize(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, nullptr, &call);
  call.stretch();  // the work after the last buffer
}

}  // namespace voxperf::refserver
