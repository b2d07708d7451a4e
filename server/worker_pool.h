// The bounded pool that runs engine work (pocketsphinx decoding). gRPC's threads only parse, queue and write;
// anything that costs CPU in proportion to audio runs here, on as many threads as the machine has cores.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace voxperf::refserver {

class WorkerPool {
 public:
  using Task = std::function<void()>;
  explicit WorkerPool(std::size_t threads);
  // Runs every task already posted, then joins.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void post(Task task);
  std::size_t size() const { return threads_.size(); }

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Runs the tasks posted to it one at a time, in order, on a WorkerPool: one stream's audio chunks must reach
// its decoder in order, but different streams decode in parallel.
// Shared so that a drain in progress keeps it alive after its owner lets go.
class Strand : public std::enable_shared_from_this<Strand> {
 public:
  static std::shared_ptr<Strand> create(WorkerPool& pool) { return std::shared_ptr<Strand>(new Strand(pool)); }
  void post(WorkerPool::Task task);

 private:
  explicit Strand(WorkerPool& pool) : pool_(pool) {}
  void drain();

  WorkerPool& pool_;
  std::mutex mutex_;
  std::deque<WorkerPool::Task> tasks_;
  bool running_ = false;
};

}  // namespace voxperf::refserver
