#include "harness/grpc/completion_queues.h"

#include <algorithm>

namespace voxperf {

namespace {

std::vector<std::unique_ptr<grpc::CompletionQueue>> new_queues(std::size_t count) {
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, count); ++i) {
    queues.push_back(std::make_unique<grpc::CompletionQueue>());
  }
  return queues;
}

}  // namespace

CompletionQueues::CompletionQueues(std::size_t count) : CompletionQueues(new_queues(count)) {}

CompletionQueues::CompletionQueues(std::vector<std::unique_ptr<grpc::CompletionQueue>> queues)
    : queues_(std::move(queues)) {
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
