// One unary gRPC request as a Call: the request/response lifecycle the offline ASR and batch TTS clients
// share. The protocol client supplies the RPC to invoke and how its answer becomes a ResponseEvent.
#pragma once

#include <functional>
#include <memory>

#include "harness/grpc/call_settings.h"
#include "harness/request_client.h"

namespace voxperf {

template <class Request, class Response>
class UnaryCall final : public Call, public std::enable_shared_from_this<UnaryCall<Request, Response>> {
 public:
  using Invoke = std::function<void(grpc::ClientContext*, const Request*, Response*, std::function<void(grpc::Status)>)>;
  using ToEvent = std::function<ResponseEvent(const Response&, TimePoint)>;

  UnaryCall(RequestRecord& record, std::function<void()> done, const Clock& clock, const CallSettings& settings,
            Request request, Invoke invoke, ToEvent to_event)
      : record_(record), done_(std::move(done)), clock_(clock), request_(std::move(request)),
        invoke_(std::move(invoke)), to_event_(std::move(to_event)) {
    apply_call_settings(settings, context_);
  }

  void start() override {
    record_.sent = clock_.now();
    invoke_(&context_, &request_, &response_, [self = this->shared_from_this()](grpc::Status status) mutable {
      const TimePoint now = self->clock_.now();
      if (status.ok()) self->record_.responses.push_back(self->to_event_(self->response_, now));
      self->record_.end = now;
      self->record_.status = to_status(status);
      auto done = std::move(self->done_);
      finish(std::move(self), std::move(done));
    });
  }

  void cancel() override { context_.TryCancel(); }

 private:
  RequestRecord& record_;
  std::function<void()> done_;
  const Clock& clock_;
  grpc::ClientContext context_;
  Request request_;
  Response response_;
  Invoke invoke_;
  ToEvent to_event_;
};

}  // namespace voxperf
