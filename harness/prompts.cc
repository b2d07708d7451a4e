#include "harness/prompts.h"

#include <fstream>

#include "harness/input_error.h"

namespace voxperf {

std::vector<Prompt> read_prompts(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": can not open prompt file");
  std::vector<Prompt> prompts;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    Prompt prompt;
    if (const auto bar = line.find('|'); bar != std::string::npos) {
      prompt.id = line.substr(0, bar);
      prompt.text = line.substr(bar + 1);
    } else {
      prompt.id = path.stem().string() + "-" + std::to_string(number);
      prompt.text = line;
    }
    if (prompt.text.find_first_not_of(" \t") == std::string::npos) {
      throw InputError(path.string() + ":" + std::to_string(number) + ": prompt text is empty");
    }
    prompts.push_back(std::move(prompt));
  }
  if (prompts.empty()) throw InputError(path.string() + ": no prompts");
  return prompts;
}

}  // namespace voxperf
