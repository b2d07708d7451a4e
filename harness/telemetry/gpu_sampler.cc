#include "harness/telemetry/gpu_sampler.h"

namespace voxperf::telemetry {

GpuSampler::GpuSampler(GpuSource& source, std::chrono::milliseconds interval) : source_(source), interval_(interval) {}

GpuSampler::~GpuSampler() {
  if (thread_.joinable()) stop();
}

void GpuSampler::start() {
  if (thread_.joinable()) stop();
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
    samples_.clear();
  }
  auto first = source_.read();
  {
    std::lock_guard lock(mutex_);
    samples_.push_back(std::move(first));
  }
  thread_ = std::thread([this] { run(); });
}

std::vector<std::vector<GpuReading>> GpuSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  auto last = source_.read();
  std::lock_guard lock(mutex_);
  samples_.push_back(std::move(last));
  return std::move(samples_);
}

void GpuSampler::run() {
  std::unique_lock lock(mutex_);
  auto next = std::chrono::steady_clock::now() + interval_;
  while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
    lock.unlock();
    auto reading = source_.read();  // outside the lock: a slow endpoint must not hold up stop()
    lock.lock();
    samples_.push_back(std::move(reading));
    next += interval_;
  }
}

}  // namespace voxperf::telemetry
