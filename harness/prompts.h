// TTS prompts: a text file with one prompt per line, optionally "id|text" as in LJSpeech metadata.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace voxperf {

struct Prompt {
  std::string id;
  std::string text;
};

// Blank lines are skipped; a line without an id gets "<file stem>-<line>". Throws InputError naming the file
// when it can not be read, a line has an empty text, or there is no prompt.
std::vector<Prompt> read_prompts(const std::filesystem::path& path);

}  // namespace voxperf
