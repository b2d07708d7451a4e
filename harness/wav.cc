#include "harness/wav.h"

#include <sndfile.h>

#include <algorithm>
#include <cstring>
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

// libsndfile reads the in-memory file through these callbacks.
struct MemoryFile {
  std::span<const std::byte> bytes;
  sf_count_t position = 0;
};

sf_count_t memory_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto size = static_cast<sf_count_t>(file->bytes.size());
  sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? file->position : size;
  file->position = std::clamp<sf_count_t>(base + offset, 0, size);
  return file->position;
}

sf_count_t memory_read(void* out, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const auto size = static_cast<sf_count_t>(file->bytes.size());
  const sf_count_t n = std::clamp<sf_count_t>(size - file->position, 0, count);
  std::memcpy(out, file->bytes.data() + file->position, static_cast<std::size_t>(n));
  file->position += n;
  return n;
}

sf_count_t memory_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t memory_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

using SndFile = std::unique_ptr<SNDFILE, decltype(&sf_close)>;

// Throws InputError unless `file` opened as 16-bit PCM WAV with a sane rate and channel count.
void check_pcm16(const SndFile& file, const SF_INFO& info, const std::string& name) {
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
}

PcmAudio read_pcm16(SndFile file, const SF_INFO& info, const std::string& name) {
  check_pcm16(file, info, name);
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

}  // namespace

PcmAudio read_wav(const std::filesystem::path& path) {
  const std::string name = path.string();
  SF_INFO info{};
  SndFile file(sf_open(name.c_str(), SFM_READ, &info), &sf_close);
  return read_pcm16(std::move(file), info, name);
}

WavHeader parse_wav_header(std::span<const std::byte> bytes, const std::string& name) {
  SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
  MemoryFile memory{bytes};
  SF_INFO info{};
  SndFile file(sf_open_virtual(&io, SFM_READ, &info, &memory), &sf_close);
  check_pcm16(file, info, name);
  // Seeking to the first frame moves the in-memory file to where the samples start.
  if (sf_seek(file.get(), 0, SEEK_SET) != 0) throw InputError(name + ": can not find where the samples start");
  return {info.samplerate, info.channels, static_cast<std::size_t>(memory.position)};
}

PcmAudio parse_wav(std::span<const std::byte> bytes, const std::string& name) {
  SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
  MemoryFile memory{bytes};
  SF_INFO info{};
  SndFile file(sf_open_virtual(&io, SFM_READ, &info, &memory), &sf_close);
  return read_pcm16(std::move(file), info, name);
}

}  // namespace voxperf
