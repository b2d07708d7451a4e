// pocketsphinx decoders for the ASR service. A decoder is not thread-safe and loading one costs about 0.3 s
// and 95 MB here, so the pool makes them on first need, up to the profile's batch size, and reuses them.
// A reused decoder keeps its live cepstral mean, adapted to the channel by the utterances it has heard, as
// pocketsphinx intends for a live stream. (Resetting it to the model's prior before every utterance was
// tried: it made streaming WER worse and more dependent on history, not less.) So a transcript may differ by
// a word depending on which decoder served it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

struct ps_decoder_s;

namespace voxperf::refserver {

// The en-us model that Debian's pocketsphinx-en-us installs.
struct SphinxModel {
  std::filesystem::path acoustic = "/usr/share/pocketsphinx/model/en-us/en-us";
  std::filesystem::path language = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
  std::filesystem::path dictionary = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
  static constexpr int kSampleRate = 16000;

  // Throws InputError naming the missing file and the package that provides it.
  void check() const;
};

class SphinxDecoder {
 public:
  explicit SphinxDecoder(const SphinxModel& model);
  ~SphinxDecoder();
  SphinxDecoder(const SphinxDecoder&) = delete;
  SphinxDecoder& operator=(const SphinxDecoder&) = delete;

  void start();
  void process(std::span<const std::int16_t> samples);  // 16 kHz mono
  // The current best hypothesis; empty while pocketsphinx has none (it returns a null pointer on silence).
  std::string partial();
  // Ends the utterance and returns its transcript (empty when there is no hypothesis at all).
  std::string finish();
  std::string transcribe(std::span<const std::int16_t> samples);  // start, process, finish

 private:
  std::string hypothesis();
  ps_decoder_s* decoder_ = nullptr;
  bool in_utterance_ = false;
};

class DecoderPool {
 public:
  explicit DecoderPool(SphinxModel model) : model_(std::move(model)) {}

  struct Return {
    DecoderPool* pool;
    void operator()(SphinxDecoder* decoder) const { pool->release(decoder); }
  };
  using Lease = std::unique_ptr<SphinxDecoder, Return>;

  // An idle decoder, or a new one. The caller holds an admission slot, which bounds how many exist.
  Lease acquire();
  std::size_t created() const;

 private:
  void release(SphinxDecoder* decoder);

  const SphinxModel model_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<SphinxDecoder>> all_;
  std::vector<SphinxDecoder*> idle_;
};

}  // namespace voxperf::refserver
