#include "harness/manifest.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/input_error.h"

namespace voxperf {

std::vector<ManifestEntry> read_manifest(const std::filesystem::path& manifest) {
  const std::string name = manifest.string();
  std::ifstream in(manifest);
  if (!in) throw InputError(name + ": can not open manifest");

  const auto folder = manifest.parent_path();
  std::vector<ManifestEntry> entries;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(number) + ": ";
    nlohmann::json row;
    try {
      row = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(where + "not valid JSON (" + e.what() + ")");
    }
    if (!row.is_object()) throw InputError(where + "expected a JSON object {\"audio\": ..., \"text\": ...}");
    for (const char* field : {"audio", "text"}) {
      if (!row.contains(field)) throw InputError(where + "missing field \"" + field + "\"");
      if (!row[field].is_string()) throw InputError(where + "field \"" + field + "\" must be a string");
    }
    std::filesystem::path audio = row["audio"].get<std::string>();
    if (audio.empty()) throw InputError(where + "field \"audio\" is empty");
    if (audio.is_relative()) audio = folder / audio;
    entries.push_back({audio, row["text"].get<std::string>(), number});
  }
  if (entries.empty()) throw InputError(name + ": manifest has no entries");
  return entries;
}

std::vector<Utterance> load_utterances(const std::filesystem::path& manifest) {
  std::vector<Utterance> utterances;
  for (const auto& entry : read_manifest(manifest)) {
    try {
      utterances.push_back({entry.audio.stem().string(), read_wav(entry.audio), entry.text});
    } catch (const InputError& e) {
      throw InputError(manifest.string() + ":" + std::to_string(entry.line) + ": " + e.what());
    }
  }
  return utterances;
}

}  // namespace voxperf
