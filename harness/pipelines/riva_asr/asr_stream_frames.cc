#include "harness/pipelines/riva_asr/asr_stream_frames.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "harness/grpc/serialized.h"
#include "riva/proto/riva_asr.pb.h"

namespace voxperf {
namespace {

// Audio bytes per chunk: settings.chunk of 16-bit PCM at the utterance's rate and channels (at least one
// sample, so that a very short chunk setting still moves forward).
std::size_t chunk_bytes(const PcmAudio& audio, const AsrSettings& settings) {
  const auto samples = static_cast<std::size_t>(std::chrono::duration<double>(settings.chunk).count() * audio.sample_rate);
  return std::max<std::size_t>(samples * static_cast<std::size_t>(audio.channels) * 2, 2);
}

}  // namespace

AsrStreamFrames::AsrStreamFrames(const Utterance& utterance, const AsrSettings& settings) {
  const auto& audio = utterance.audio;
  nvidia::riva::asr::StreamingRecognizeRequest request;
  auto* streaming = request.mutable_streaming_config();
  streaming->set_interim_results(settings.interim_results);
  *streaming->mutable_config() = recognition_config(settings, audio.sample_rate, audio.channels);
  config_ = serialized(request);

  const auto all = audio.bytes();
  const std::size_t size = chunk_bytes(audio, settings);
  request.Clear();
  for (std::size_t offset = 0; offset < all.size(); offset += size) {
    const auto chunk = all.subspan(offset, std::min(size, all.size() - offset));
    request.set_audio_content(chunk.data(), chunk.size());
    chunks_.push_back(serialized(request));
  }
}

}  // namespace voxperf
