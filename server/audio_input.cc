#include "server/audio_input.h"

#include <algorithm>
#include <cstring>

#include "harness/input_error.h"
#include "harness/wav.h"
#include "server/language.h"
#include "server/sphinx_decoder.h"

namespace voxperf::refserver {
namespace {

using nvidia::riva::AudioEncoding;
using nvidia::riva::asr::RecognitionConfig;

constexpr int kMinRate = 8000, kMaxRate = 48000;

grpc::Status invalid(const std::string& message) { return {grpc::StatusCode::INVALID_ARGUMENT, message}; }

bool starts_with_riff(const std::string& audio) { return audio.size() >= 4 && audio.compare(0, 4, "RIFF") == 0; }

void to_samples(const char* bytes, std::size_t size, std::vector<std::int16_t>& samples) {
  const std::size_t start = samples.size();
  samples.resize(start + size / 2);
  std::memcpy(samples.data() + start, bytes, size / 2 * 2);  // little-endian host, as LINEAR_PCM is
}

}  // namespace

const std::vector<AsrModel>& asr_models() {
  static const std::vector<AsrModel> models = {{"pocketsphinx-en-US-asr-streaming", "online"},
                                               {"pocketsphinx-en-US-asr-offline", "offline"}};
  return models;
}

grpc::Status check_recognition_config(const RecognitionConfig& config) {
  if (!config.model().empty()) {
    const auto& models = asr_models();
    if (std::none_of(models.begin(), models.end(), [&](const AsrModel& m) { return m.name == config.model(); })) {
      return {grpc::StatusCode::NOT_FOUND, "config.model '" + config.model() + "' not found; this server has " +
                                               models[0].name + " (streaming) and " + models[1].name + " (offline)"};
    }
  }
  if (!config.language_code().empty() && !is_en_us(config.language_code())) {
    return {grpc::StatusCode::NOT_FOUND,
            "config.language_code '" + config.language_code() + "': no ASR model for it; this server has en-US"};
  }
  if (config.encoding() != nvidia::riva::LINEAR_PCM && config.encoding() != nvidia::riva::ENCODING_UNSPECIFIED) {
    return invalid("config.encoding " + nvidia::riva::AudioEncoding_Name(config.encoding()) +
                   " is not supported; send LINEAR_PCM (16-bit signed little-endian samples)");
  }
  const int rate = config.sample_rate_hertz();
  if (rate != 0 && (rate < kMinRate || rate > kMaxRate)) {
    return invalid("config.sample_rate_hertz " + std::to_string(rate) + " is not supported; use 8000 to 48000 (" +
                   std::to_string(SphinxModel::kSampleRate) + " is the model's own rate)");
  }
  if (config.audio_channel_count() > 1) {
    return invalid("config.audio_channel_count " + std::to_string(config.audio_channel_count()) +
                   ": only mono audio is supported");
  }
  return grpc::Status::OK;
}

grpc::Status read_offline_audio(const RecognitionConfig& config, const std::string& audio,
                                std::vector<std::int16_t>& samples, int& sample_rate) {
  if (audio.empty()) return invalid("audio is empty");
  if (starts_with_riff(audio)) {
    PcmAudio wav;
    try {
      wav = parse_wav(std::as_bytes(std::span(audio.data(), audio.size())), "audio (WAV)");
    } catch (const InputError& error) {
      return invalid(error.what());
    }
    if (wav.channels != 1) return invalid("audio (WAV) has " + std::to_string(wav.channels) + " channels; send mono");
    if (wav.sample_rate < kMinRate || wav.sample_rate > kMaxRate) {
      return invalid("audio (WAV) is at " + std::to_string(wav.sample_rate) + " Hz; use 8000 to 48000");
    }
    samples = std::move(wav.samples);
    sample_rate = wav.sample_rate;
    return grpc::Status::OK;
  }
  if (config.sample_rate_hertz() == 0) {
    return invalid("config.sample_rate_hertz is 0; raw LINEAR_PCM audio needs its rate (or send a WAV file)");
  }
  if (audio.size() % 2 != 0) {
    return invalid("audio is not 16-bit PCM: " + std::to_string(audio.size()) +
                   " bytes is not a whole number of samples");
  }
  to_samples(audio.data(), audio.size(), samples);
  sample_rate = config.sample_rate_hertz();
  return grpc::Status::OK;
}

grpc::Status StreamAudio::append(const std::string& chunk, std::vector<std::int16_t>& samples) {
  std::string_view rest(chunk);
  if (first_ && !rest.empty()) {
    first_ = false;
    if (starts_with_riff(chunk)) {
      WavHeader header;
      try {
        header = parse_wav_header(std::as_bytes(std::span(chunk.data(), chunk.size())), "audio_content (WAV header)");
      } catch (const InputError& error) {
        return invalid(std::string(error.what()) + "; the first audio_content must hold the whole header");
      }
      if (header.channels != 1) return invalid("audio_content (WAV header) has " + std::to_string(header.channels) +
                                               " channels; send mono");
      if (header.sample_rate < kMinRate || header.sample_rate > kMaxRate) {
        return invalid("audio_content (WAV header) is at " + std::to_string(header.sample_rate) +
                       " Hz; use 8000 to 48000");
      }
      sample_rate_ = header.sample_rate;
      rest.remove_prefix(std::min(header.data_offset, rest.size()));
    } else if (sample_rate_ == 0) {
      return invalid("config.sample_rate_hertz is 0 and the audio has no WAV header; set the rate of the raw PCM");
    }
  }
  if (!carry_.empty() && !rest.empty()) {
    carry_ += rest.front();
    to_samples(carry_.data(), 2, samples);
    carry_.clear();
    rest.remove_prefix(1);
  }
  to_samples(rest.data(), rest.size(), samples);
  if (rest.size() % 2 != 0) carry_.assign(1, rest.back());
  return grpc::Status::OK;
}

grpc::Status StreamAudio::finish() const {
  if (carry_.empty()) return grpc::Status::OK;
  return invalid("audio is not 16-bit PCM: the stream's audio_content has an odd number of bytes");
}

}  // namespace voxperf::refserver
