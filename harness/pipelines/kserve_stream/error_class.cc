#include "harness/pipelines/kserve_stream/error_class.h"

#include <utility>

namespace voxperf {

namespace {

// Fragments of Triton's own messages (core sequence batcher and request checks), and their class.
const std::pair<const char*, const char*> kClasses[] = {
      {"must specify the START flag", "sequence_not_started"},
      {"non-zero or non-empty correlation ID", "no_sequence_id"},
      {"unexpected shape for input", "shape"},
      {"data-type is", "datatype"},
      {"unexpected total byte size", "byte_size"},
      {"unknown model", "unknown_model"},
      {"batch-size 1", "batch_size"},
};

}  // namespace

const std::vector<std::string>& kserve_error_classes() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> names;
    for (const auto& [fragment, name] : kClasses) names.push_back(name);
    names.push_back("other");
    return names;
  }();
  return all;
}

std::string kserve_error_class(const std::string& message) {
  for (const auto& [fragment, name] : kClasses) {
    if (message.find(fragment) != std::string::npos) return std::string("kserve:") + name;
  }
  return "kserve:other";
}

}  // namespace voxperf
