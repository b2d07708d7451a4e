// Reading a JSON file of the gate (policy, baseline) with errors that name the file.
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/input_error.h"

namespace voxperf::gate {

// Throws InputError "PATH: can not read the WHAT" or "PATH: not JSON: ...".
inline nlohmann::json read_json_file(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": can not read the " + what);
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path.string() + ": not JSON: " + e.what());
  }
}

}  // namespace voxperf::gate
