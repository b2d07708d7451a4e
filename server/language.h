// The one language the reference server's engines speak. BCP-47 tags compare without regard to case.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace voxperf::refserver {

inline bool is_en_us(const std::string& language_code) {
  static const std::string kEnUs = "en-us";
  return language_code.size() == kEnUs.size() &&
         std::equal(language_code.begin(), language_code.end(), kEnUs.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

}  // namespace voxperf::refserver
