// What every HTTP pipeline's request does the same way: start the transfer and stamp the send time, cancel it
// before or after it started, stamp the first body byte (TTFB), and on the transport's verdict record the
// end and the status, then report done. A pipeline's call only reads the body (on_body_bytes) and judges a
// completed 2xx answer (judge_answer).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>

#include "harness/clock.h"
#include "harness/http/http_transport.h"
#include "harness/request_client.h"

namespace voxperf {

class HttpCall : public Call, public HttpExchange, public std::enable_shared_from_this<HttpCall> {
 public:
  HttpCall(HttpTransport& transport, HttpRequest request, RequestRecord& record, std::function<void()> done,
           const Clock& clock)
      : transport_(transport), request_(std::move(request)), record_(record), done_(std::move(done)), clock_(clock) {}

  void start() final {
    record_.sent = clock_.now();
    id_ = transport_.start(std::move(request_), shared_from_this());
    started_ = true;
    if (cancel_asked_) transport_.cancel(id_);
  }

  void cancel() final {
    cancel_asked_ = true;
    if (started_) transport_.cancel(id_);
  }

  void on_body(std::string_view bytes, TimePoint at) final {
    if (!record_.first_byte && !bytes.empty()) record_.first_byte = at;
    on_body_bytes(bytes, at);
  }

  void on_done(const Status& status, TimePoint at) final {
    record_.end = at;
    record_.status = status.ok() ? judge_answer(at) : status;
    auto done = std::move(done_);
    done();
  }

 protected:
  // Body bytes of a 2xx answer, as they arrived (loop thread).
  virtual void on_body_bytes(std::string_view bytes, TimePoint at) = 0;
  // The transfer completed with a 2xx status: what the answer's content says (OK, or an in-band failure).
  virtual Status judge_answer(TimePoint at) = 0;

  RequestRecord& record() { return record_; }

 private:
  HttpTransport& transport_;
  HttpRequest request_;
  RequestRecord& record_;
  std::function<void()> done_;
  const Clock& clock_;
  std::atomic<HttpTransport::TransferId> id_{0};
  std::atomic<bool> started_{false};
  std::atomic<bool> cancel_asked_{false};
};

}  // namespace voxperf
