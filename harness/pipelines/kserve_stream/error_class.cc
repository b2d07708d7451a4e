#include "harness/pipelines/kserve_stream/error_class.h"

#include <utility>

namespace voxperf {

std::string kserve_error_class(const std::string& message) {
  // Fragments of Triton's own messages (core sequence batcher and request checks).
  static const std::pair<const char*, const char*> kClasses[] = {
      {"must specify the START flag", "sequence_not_started"},
      {"non-zero or non-empty correlation ID", "no_sequence_id"},
      {"unexpected shape for input", "shape"},
      {"data-type is", "datatype"},
      {"unexpected total byte size", "byte_size"},
      {"unknown model", "unknown_model"},
      {"batch-size 1", "batch_size"},
  };
  for (const auto& [fragment, name] : kClasses) {
    if (message.find(fragment) != std::string::npos) return std::string("kserve:") + name;
  }
  return "kserve:other";
}

}  // namespace voxperf
