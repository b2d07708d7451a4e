#include "server/sphinx_decoder.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <mutex>
#include <stdexcept>

#include "harness/input_error.h"

namespace voxperf::refserver {

void SphinxModel::check() const {
  for (const auto& path : {acoustic, language, dictionary}) {
    if (!std::filesystem::exists(path)) {
      throw InputError("ASR model file " + path.string() +
                       " is missing; install the Debian package pocketsphinx-en-us (tools/setup.sh does)");
    }
  }
}

namespace {

// pocketsphinx logs through one process-wide FILE*. Giving each decoder "-logfn" made every ps_init close and
// reopen it while other decoders were writing to it (a crash under load), so logging is switched off once
// for the process instead, and decoders are built one at a time.
std::mutex& loading_mutex() {
  static std::mutex mutex;
  static std::once_flag quiet;
  std::call_once(quiet, [] { err_set_logfp(nullptr); });
  return mutex;
}

}  // namespace

SphinxDecoder::SphinxDecoder(const SphinxModel& model) {
  const std::string acoustic = model.acoustic.string();
  const std::string language = model.language.string();
  const std::string dictionary = model.dictionary.string();
  std::lock_guard lock(loading_mutex());
  // ps_init keeps its own reference to the config.
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", acoustic.c_str(), "-lm", language.c_str(),
                                 "-dict", dictionary.c_str(), nullptr);
  if (config == nullptr) throw std::runtime_error("pocketsphinx: could not build a decoder configuration");
  decoder_ = ps_init(config);
  cmd_ln_free_r(config);
  if (decoder_ == nullptr) {
    throw std::runtime_error("pocketsphinx: could not load the model from " + acoustic);
  }
}

SphinxDecoder::~SphinxDecoder() { ps_free(decoder_); }

void SphinxDecoder::start() {
  if (in_utterance_) ps_end_utt(decoder_);
  if (ps_start_utt(decoder_) < 0) throw std::runtime_error("pocketsphinx: ps_start_utt failed");
  in_utterance_ = true;
}

void SphinxDecoder::process(std::span<const std::int16_t> samples) {
  if (samples.empty()) return;
  if (ps_process_raw(decoder_, samples.data(), samples.size(), FALSE, FALSE) < 0) {
    throw std::runtime_error("pocketsphinx: ps_process_raw failed");
  }
}

std::string SphinxDecoder::hypothesis() {
  std::int32_t score = 0;
  const char* text = ps_get_hyp(decoder_, &score);
  return text == nullptr ? std::string() : std::string(text);
}

std::string SphinxDecoder::partial() { return hypothesis(); }

std::string SphinxDecoder::finish() {
  if (in_utterance_) ps_end_utt(decoder_);
  in_utterance_ = false;
  return hypothesis();
}

std::string SphinxDecoder::transcribe(std::span<const std::int16_t> samples) {
  start();
  // A whole utterance at once lets pocketsphinx normalize with the utterance's own cepstral mean.
  if (!samples.empty() && ps_process_raw(decoder_, samples.data(), samples.size(), FALSE, TRUE) < 0) {
    throw std::runtime_error("pocketsphinx: ps_process_raw failed");
  }
  return finish();
}

DecoderPool::Lease DecoderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      SphinxDecoder* decoder = idle_.back();
      idle_.pop_back();
      return Lease(decoder, Return{this});
    }
  }
  auto decoder = std::make_unique<SphinxDecoder>(model_);  // slow: load outside the lock
  std::lock_guard lock(mutex_);
  all_.push_back(std::move(decoder));
  return Lease(all_.back().get(), Return{this});
}

std::size_t DecoderPool::created() const {
  std::lock_guard lock(mutex_);
  return all_.size();
}

void DecoderPool::release(SphinxDecoder* decoder) {
  std::lock_guard lock(mutex_);
  idle_.push_back(decoder);
}

}  // namespace voxperf::refserver
