// The one interface between the load driver and a protocol: the driver decides when a request starts, the
// client knows what to send and how to record what comes back.
#pragma once

#include <functional>
#include <memory>

#include "harness/request_record.h"

namespace voxperf {

// One request of a protocol, prepared but not started.
class Call {
 public:
  virtual ~Call() = default;
  // Sends the request. Returns without waiting for the server.
  virtual void start() = 0;
  // Asks the transport to abandon the request; it then ends with CANCELLED (thread-safe, idempotent).
  virtual void cancel() = 0;
};

class RequestClient {
 public:
  virtual ~RequestClient() = default;
  // Prepares the request for record.index (the client picks its data item, e.g. index modulo the data set).
  // The client fills `record` (item, sent, responses, end, status) as the request progresses and calls `done`
  // exactly once, from any thread, after its last write to the record. `record` outlives the call.
  virtual std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) = 0;
};

}  // namespace voxperf

namespace voxperf {

// The last step of every Call: drops the call's reference to itself, then reports it done. The driver then
// drops the last reference, so the call (and its gRPC ClientContext, which holds the channel) is gone before
// the driver's run() can return. Were it destroyed after `done`, on a gRPC callback thread, the caller could
// already have destroyed the channels, and that thread would drop the last channel reference itself, which
// gRPC 1.51 does not survive (it joins its own callback thread; grpc/grpc PR #32584).
template <class Self>
void finish(std::shared_ptr<Self> self, std::function<void()> done) {
  self.reset();
  done();
}

}  // namespace voxperf
