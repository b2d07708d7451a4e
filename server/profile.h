// A deployment profile: how many requests each model's engine works on at once. Named after TensorRT-LLM
// batch-size profiles ("bs8", "bs64"), whose time to first audio jumps once concurrency passes the batch size.
#pragma once

#include <string>

namespace voxperf::refserver {

struct Profile {
  std::string name;        // as given: "bs8", "default"
  int max_batch = 16;      // requests in the engine at once, per model; the rest wait in a queue
};

// "bs<N>" (1 <= N <= 1024) or "default" (bs16). Throws InputError naming the flag otherwise.
Profile parse_profile(const std::string& name);

}  // namespace voxperf::refserver
