// How voxperf's programs end: bad input (InputError) is exit code 2 with its message, any other failure
// exit code 1, both prefixed with the program's name.
#pragma once

#include <exception>
#include <iostream>

#include "harness/input_error.h"

namespace voxperf::bench {

template <class Body>
int run_reporting_errors(const char* program, Body body) {
  try {
    return body();
  } catch (const InputError& error) {
    std::cerr << program << ": " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << "\n";
    return 1;
  }
}

}  // namespace voxperf::bench
