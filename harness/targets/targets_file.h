// Reading a targets file: JSON, {"targets": [ {...}, ... ]}, every field checked when the file is loaded so
// that a mistake is reported with the file and the field's path ("targets[1].concurrency[2]") before any
// traffic is sent. Unknown fields are errors too: a typo must not silently fall back to a default.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/targets/target.h"

namespace voxperf {

// Looks a variable up; tests pass their own instead of the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_environment(const std::string& name);

// Replaces every ${NAME} in `text` with the variable's value. Throws InputError naming `field` and the
// variable when it is not set (the value itself never appears in a message).
std::string expand_environment(const std::string& text, const EnvironmentLookup& lookup, const std::string& field);

// Throws InputError "FILE: FIELD: what is wrong" on any problem: not JSON, a missing or mistyped field, a value
// out of range, a mode the kind does not have, a data, CA or certificate file that does not exist, an
// environment variable that is not set.
std::vector<Target> load_targets(const std::filesystem::path& path,
                                 const EnvironmentLookup& lookup = process_environment);

// The targets of several files, in order; also an error when two files have a target of the same kind,
// model and profile (their cases would have the same names).
std::vector<Target> load_target_files(const std::vector<std::string>& paths,
                                      const EnvironmentLookup& lookup = process_environment);

}  // namespace voxperf
