// The error bad input raises: a message that names the file, field or endpoint and says what is wrong.
// Front ends catch it, print it and exit non-zero.
#pragma once

#include <stdexcept>

namespace voxperf {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace voxperf
