// Data sets: JSON-lines manifests, one utterance per line: {"audio": "path.wav", "text": "reference"}.
// Relative audio paths are resolved against the manifest's folder. Blank lines are skipped.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "harness/wav.h"

namespace voxperf {

struct ManifestEntry {
  std::filesystem::path audio;  // resolved path
  std::string text;             // reference transcript
  std::size_t line = 0;         // 1-based line in the manifest, for error messages
};

struct Utterance {
  std::string id;  // audio file name without its folder
  PcmAudio audio;
  std::string text;
};

// Throws InputError "manifest.jsonl:LINE: ..." for a line that is not a JSON object, a missing or non-string
// "audio" or "text" field, or a manifest with no entries.
std::vector<ManifestEntry> read_manifest(const std::filesystem::path& manifest);

// read_manifest, then every WAV file; a bad WAV is reported with the manifest line that names it.
std::vector<Utterance> load_utterances(const std::filesystem::path& manifest);

}  // namespace voxperf
