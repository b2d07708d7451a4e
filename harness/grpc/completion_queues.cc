#include "harness/grpc/completion_queues.h"

#include <algorithm>

namespace voxperf {

CompletionQueues::CompletionQueues(std::size_t count) {
  count = std::max<std::size_t>(1, count);
  for (std::size_t i = 0; i < count; ++i) queues_.push_back(std::make_unique<grpc::CompletionQueue>());
  for (auto& queue : queues_) {
    threads_.emplace_back([cq = queue.get()] {
      void* tag = nullptr;
      bool ok = false;
      while (cq->Next(&tag, &ok)) {
        if (tag != nullptr) static_cast<CompletionTag*>(tag)->complete(ok);
      }
    });
  }
}

CompletionQueues::~CompletionQueues() {
  for (auto& queue : queues_) queue->Shutdown();
  for (auto& thread : threads_) thread.join();
}

std::size_t CompletionQueues::default_count() {
  return std::max<std::size_t>(2, std::thread::hardware_concurrency());
}

}  // namespace voxperf
