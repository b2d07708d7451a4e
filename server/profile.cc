#include "server/profile.h"

#include <charconv>

#include "harness/input_error.h"

namespace voxperf::refserver {

Profile parse_profile(const std::string& name) {
  if (name == "default") return {name, 16};
  int batch = 0;
  if (name.size() > 2 && name.starts_with("bs")) {
    const char* first = name.data() + 2;
    const char* last = name.data() + name.size();
    auto [end, error] = std::from_chars(first, last, batch);
    if (error == std::errc{} && end == last && batch >= 1 && batch <= 1024) return {name, batch};
  }
  throw InputError("--profile '" + name + "': expected bs<N> with N from 1 to 1024 (e.g. bs8, bs64) or 'default'");
}

}  // namespace voxperf::refserver
