// Completion queues of gRPC's async API, each drained by a thread of its own, for clients that hold thousands
// of streams. The callback API puts every call of a process on one shared queue, and Debian's libgrpc (built
// with debug checks) scans all operations outstanding on a queue at each completion, under the queue's lock:
// at 10,000 streams that scan was a third of the client's CPU (README, "How fast is voxperf"). Streams spread
// over K queues make each scan 1/K as long, and K threads drain them without sharing a lock.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace voxperf {

// What an async operation's tag points to: the handler of its completion, run on the queue's thread.
class CompletionTag {
 public:
  virtual void complete(bool ok) = 0;

 protected:
  ~CompletionTag() = default;
};

// A tag that calls a member function of its owner.
template <class Owner>
class MemberTag final : public CompletionTag {
 public:
  MemberTag(Owner* owner, void (Owner::*handler)(bool)) : owner_(owner), handler_(handler) {}
  void complete(bool ok) override { (owner_->*handler_)(ok); }

 private:
  Owner* owner_;
  void (Owner::*handler_)(bool);
};

class CompletionQueues {
 public:
  // `count` queues (at least 1), each with a thread.
  explicit CompletionQueues(std::size_t count);
  // Drains queues made elsewhere (a server's, from ServerBuilder::AddCompletionQueue), a thread each. A
  // server's queues may be shut down only after the server itself: destroy this after Server::Shutdown.
  explicit CompletionQueues(std::vector<std::unique_ptr<grpc::CompletionQueue>> queues);
  // Shuts every queue down and joins its thread once its outstanding operations have completed.
  ~CompletionQueues();
  CompletionQueues(const CompletionQueues&) = delete;
  CompletionQueues& operator=(const CompletionQueues&) = delete;

  // The queues round-robin, so that streams spread evenly.
  grpc::CompletionQueue* next() { return queues_[next_.fetch_add(1, std::memory_order_relaxed) % queues_.size()].get(); }
  std::size_t size() const { return queues_.size(); }

  // Queues for a client on this machine: one per core, at least two.
  static std::size_t default_count();

 private:
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace voxperf
