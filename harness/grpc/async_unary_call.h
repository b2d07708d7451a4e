// One unary gRPC request on the async API with a pre-serialized request: the lifecycle the offline ASR and
// batch TTS clients share. Each call is one operation (StartCall completes nothing; Finish brings the
// answer) on the client's own completion queues, which completion_queues.h says why; the request is a
// buffer the client serialized once per utterance or prompt, so a call copies no audio or text. The
// protocol client supplies how its answer becomes a ResponseEvent.
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "harness/grpc/call_settings.h"
#include "harness/grpc/completion_queues.h"
#include "harness/request_client.h"

namespace voxperf {

template <class Response>
class AsyncUnaryCall final : public Call,
                             public CompletionTag,
                             public std::enable_shared_from_this<AsyncUnaryCall<Response>> {
 public:
  using Stub = grpc::TemplatedGenericStub<grpc::ByteBuffer, Response>;
  using ToEvent = std::function<ResponseEvent(const Response&, TimePoint)>;

  // `method`, `request` and `to_event` belong to the client and outlive the call.
  AsyncUnaryCall(RequestRecord& record, std::function<void()> done, const Clock& clock, const CallSettings& settings,
                 Stub& stub, const std::string& method, const grpc::ByteBuffer& request, grpc::CompletionQueue* queue,
                 const ToEvent& to_event)
      : record_(record), done_(std::move(done)), clock_(clock), stub_(stub), method_(method), request_(request),
        queue_(queue), to_event_(to_event) {
    apply_call_settings(settings, context_);
  }

  void start() override {
    self_ = this->shared_from_this();  // released once Finish has completed
    record_.sent = clock_.now();
    reader_ = stub_.PrepareUnaryCall(&context_, method_, request_, queue_);
    reader_->StartCall();
    reader_->Finish(&response_, &status_, static_cast<CompletionTag*>(this));
  }

  void cancel() override { context_.TryCancel(); }

 private:
  void complete(bool) override {
    const TimePoint now = clock_.now();
    if (status_.ok()) record_.responses.push_back(to_event_(response_, now));
    record_.end = now;
    record_.status = to_status(status_);
    voxperf::finish(std::move(self_), std::move(done_));
  }

  RequestRecord& record_;
  std::function<void()> done_;
  const Clock& clock_;
  Stub& stub_;
  const std::string& method_;
  const grpc::ByteBuffer& request_;
  grpc::CompletionQueue* queue_;
  const ToEvent& to_event_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
  Response response_;
  grpc::Status status_;
  std::shared_ptr<AsyncUnaryCall> self_;
};

}  // namespace voxperf
