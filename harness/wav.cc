#include "harness/wav.h"

#include <sndfile.h>

#include <memory>
#include <string>

#include "harness/input_error.h"

namespace voxperf {
namespace {

std::string describe_subformat(int format) {
  SF_FORMAT_INFO info{};
  info.format = format & SF_FORMAT_SUBMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof(info)) == 0 && info.name) return info.name;
  return "an unknown sample format";
}

}  // namespace

PcmAudio read_wav(const std::filesystem::path& path) {
  const std::string name = path.string();
  SF_INFO info{};
  std::unique_ptr<SNDFILE, decltype(&sf_close)> file(sf_open(name.c_str(), SFM_READ, &info), &sf_close);
  if (!file) {
    throw InputError(name + ": not a readable WAV file (" + sf_strerror(nullptr) + ")");
  }
  const int major = info.format & SF_FORMAT_TYPEMASK;
  if (major != SF_FORMAT_WAV && major != SF_FORMAT_WAVEX) {
    throw InputError(name + ": not a WAV (RIFF/WAVE) file");
  }
  if ((info.format & SF_FORMAT_SUBMASK) != SF_FORMAT_PCM_16) {
    throw InputError(name + ": unsupported audio format " + describe_subformat(info.format) +
                     "; voxperf sends LINEAR_PCM and needs 16-bit PCM (convert with: sox in.wav -b 16 out.wav)");
  }
  if (info.channels <= 0 || info.samplerate <= 0) {
    throw InputError(name + ": header gives " + std::to_string(info.channels) + " channels at " +
                     std::to_string(info.samplerate) + " Hz");
  }
  if (info.frames <= 0) throw InputError(name + ": the data chunk holds no samples");

  PcmAudio audio;
  audio.sample_rate = info.samplerate;
  audio.channels = info.channels;
  audio.samples.resize(static_cast<std::size_t>(info.frames) * static_cast<std::size_t>(info.channels));
  const sf_count_t read = sf_readf_short(file.get(), audio.samples.data(), info.frames);
  if (read <= 0) throw InputError(name + ": could not read samples (" + sf_strerror(file.get()) + ")");
  audio.samples.resize(static_cast<std::size_t>(read) * static_cast<std::size_t>(info.channels));
  return audio;
}

}  // namespace voxperf
