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

grpc::Status check_recognition_config(const RecognitionConfig& config, bool offline) {
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
  if ((rate != 0 || !offline) && (rate < kMinRate || rate > kMaxRate)) {
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

grpc::Status append_stream_audio(const std::string& chunk, bool first_chunk, std::string& carry,
                                 std::vector<std::int16_t>& samples) {
  if (first_chunk && starts_with_riff(chunk)) {
    return invalid("audio_content starts with a WAV header; stream raw LINEAR_PCM samples (strip the header)");
  }
  std::string_view rest(chunk);
  if (!carry.empty() && !rest.empty()) {
    carry += rest.front();
    to_samples(carry.data(), 2, samples);
    carry.clear();
    rest.remove_prefix(1);
  }
  to_samples(rest.data(), rest.size(), samples);
  if (rest.size() % 2 != 0) carry.assign(1, rest.back());
  return grpc::Status::OK;
}

}  // namespace voxperf::refserver
