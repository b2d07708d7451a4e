#include "harness/pipelines/riva_asr/asr_stream_client.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <mutex>
#include <stdexcept>

#include "harness/grpc/method_path.h"
#include "harness/pipelines/riva_asr/asr_response.h"

namespace voxperf {

using nvidia::riva::asr::StreamingRecognizeResponse;

namespace {

const std::string& streaming_recognize_method() {
  static const std::string method = method_path<nvidia::riva::asr::RivaSpeechRecognition>("StreamingRecognize");
  return method;
}

}  // namespace

// One stream on the async API (completion_queues.h says why not the callback API). Its operations: a read
// always outstanding (the first also takes the server's headers), at most one write (started by the queue's
// thread, or by the timer thread when a chunk is due), and Finish once both sides are over. Only one read and
// one write are ever in flight, as gRPC requires; the mutex guards when the stream may finish.
class RivaAsrStreamClient::Stream final : public Call, public std::enable_shared_from_this<Stream> {
 public:
  Stream(RivaAsrStreamClient& client, const Utterance& utterance, const AsrStreamFrames& frames, RequestRecord& record,
         std::function<void()> done)
      : client_(client), frames_(frames), record_(record), done_(std::move(done)) {
    const auto& settings = client.settings_;
    record_.item = utterance.id;
    record_.reference = utterance.text;
    record_.audio_seconds_in = utterance.audio.seconds();
    if (settings.real_time) {
      record_.chunk_period = std::chrono::duration_cast<Nanos>(settings.chunk);
      record_.chunk_lag_us.reserve(frames_.chunks() > 0 ? frames_.chunks() - 1 : 0);
    }
    apply_call_settings(settings.call, context_);
    // The headers go out with the config message: no operation (and no completion) for starting the call.
    context_.set_initial_metadata_corked(true);
  }

  void start() override {
    self_ = shared_from_this();  // released once Finish has completed
    channel_ = client_.stubs_.next_index();
    call_ = client_.stubs_.at(channel_).PrepareCall(&context_, streaming_recognize_method(), client_.queues_.next());
    call_->StartCall(nullptr);  // corked: completes nothing
    record_.sent = client_.clock_.now();
    call_->Write(frames_.config(), &write_done_);
    call_->Read(&response_, &read_done_);
  }

  void cancel() override { context_.TryCancel(); }

  std::size_t channel() const { return channel_; }

  // Writes the next chunk (with the half-close after the last). `buffered`: gRPC may hold it until a later
  // write on the same channel goes out unbuffered, and sends them together.
  void write_chunk(bool buffered = false) {
    const grpc::ByteBuffer& chunk = frames_.chunk(next_chunk_);
    const TimePoint now = client_.clock_.now();
    if (next_chunk_ == 0) {
      record_.first_chunk_sent = now;
    } else if (client_.settings_.real_time) {
      // Pacing is measured, not assumed: a client that falls behind its schedule shows up here (the case is
      // then invalid: level_measurement.h), not as a slower server.
      const auto lag = now - *record_.first_chunk_sent - chunk_offset(next_chunk_);
      record_.chunk_lag_us.push_back(static_cast<std::int32_t>(
          std::clamp<std::int64_t>(std::chrono::duration_cast<std::chrono::microseconds>(lag).count(), 0, INT32_MAX)));
    }
    ++next_chunk_;
    record_.chunks_sent = next_chunk_;
    grpc::WriteOptions options;
    if (buffered) options.set_buffer_hint();
    if (next_chunk_ == frames_.chunks()) {
      record_.last_chunk_sent = now;
      call_->WriteLast(chunk, options, &write_done_);
    } else {
      call_->Write(chunk, options, &write_done_);
    }
  }

  // For a chunk that came due: false when the server ended the stream while it waited, and then the write
  // side is over too (nothing more to send).
  bool still_sending() {
    bool over;
    {
      std::lock_guard lock(mutex_);
      over = reads_over_;
    }
    if (over) end_writes();
    return !over;
  }

 private:
  void on_write_done(bool ok) {
    if (!ok || next_chunk_ == frames_.chunks()) {
      // Stream broken (Finish says how), or the last chunk went out with the half-close.
      if (ok && frames_.chunks() == 0) return call_->WritesDone(&writes_done_);
      return end_writes();
    }
    const auto& settings = client_.settings_;
    if (settings.real_time && next_chunk_ > 0) {
      const TimePoint due = *record_.first_chunk_sent + chunk_offset(next_chunk_);
      if (due > client_.clock_.now()) {
        client_.timers_.at(due, [this] { on_chunk_due(); });  // the write side keeps this stream alive
        return;
      }
    }
    write_chunk();
  }

  void on_writes_done(bool) { end_writes(); }

  void on_chunk_due() { client_.queue_chunk(this); }

  void on_read_done(bool ok) {
    if (ok) {
      record_.responses.push_back(asr_response_event(response_, client_.clock_.now()));
      call_->Read(&response_, &read_done_);
      return;
    }
    bool finish;
    {
      std::lock_guard lock(mutex_);
      reads_over_ = true;
      finish = !writing_;
    }
    if (finish) call_->Finish(&status_, &finished_);
  }

  void on_finished(bool) {
    record_.end = client_.clock_.now();
    record_.status = to_status(status_);
    voxperf::finish(std::move(self_), std::move(done_));
  }

  // The write side is over: Finish once the read side is too (whichever ends last starts it).
  void end_writes() {
    bool finish;
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
      finish = reads_over_;
    }
    if (finish) call_->Finish(&status_, &finished_);
  }

  // When chunk k is due, counted from the first chunk's send: the real-time schedule of the utterance.
  Nanos chunk_offset(std::size_t k) const {
    return std::chrono::duration_cast<Nanos>(client_.settings_.chunk * static_cast<double>(k));
  }

  RivaAsrStreamClient& client_;
  const AsrStreamFrames& frames_;
  RequestRecord& record_;
  std::function<void()> done_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientAsyncReaderWriter<grpc::ByteBuffer, StreamingRecognizeResponse>> call_;
  StreamingRecognizeResponse response_;
  grpc::Status status_;
  std::size_t next_chunk_ = 0;
  std::size_t channel_ = 0;
  std::mutex mutex_;
  bool writing_ = true;  // the write side: from the config message until the half-close or a failed write
  bool reads_over_ = false;
  MemberTag<Stream> write_done_{this, &Stream::on_write_done};
  MemberTag<Stream> writes_done_{this, &Stream::on_writes_done};
  MemberTag<Stream> read_done_{this, &Stream::on_read_done};
  MemberTag<Stream> finished_{this, &Stream::on_finished};
  std::shared_ptr<Stream> self_;
};

RivaAsrStreamClient::RivaAsrStreamClient(ChannelPool& channels, std::span<const Utterance> utterances,
                                         AsrSettings settings, TimerQueue& timers, const Clock& clock)
    : stubs_(channels), utterances_(utterances), settings_(std::move(settings)), timers_(timers), clock_(clock),
      queues_(CompletionQueues::default_count()) {
  if (utterances_.empty()) throw std::invalid_argument("streaming ASR client needs at least one utterance");
  if (settings_.chunk <= Nanos::zero()) throw std::invalid_argument("streaming ASR chunk length must be positive");
  frames_.reserve(utterances_.size());
  for (const auto& utterance : utterances_) frames_.emplace_back(utterance, settings_);
}

// Each gRPC write that goes out on its own is a sendmsg of its own (and, on loopback, the receiver's work
// too): at 10,000 paced streams, 62,500 a second from the timer thread. So a chunk that comes due is queued,
// and one task, run after every task already due, writes the queue: each channel's chunks but the last
// with gRPC's buffer hint, its last without, so that the channel's transport sends them in one write. The
// task runs as soon as the timer thread is through what is due: an idle client writes each chunk at once
// (a queue of one), a busy one writes more per pass, which is when it needs to.
void RivaAsrStreamClient::queue_chunk(Stream* stream) {
  due_chunks_.push_back(stream);
  if (writing_due_chunks_queued_) return;
  writing_due_chunks_queued_ = true;
  timers_.at(clock_.now(), [this] { write_due_chunks(); });
}

void RivaAsrStreamClient::write_due_chunks() {
  writing_due_chunks_queued_ = false;
  std::erase_if(due_chunks_, [](Stream* stream) { return !stream->still_sending(); });
  // Every buffered write must have an unbuffered one after it on its channel, or it waits: a chunk is
  // buffered while more of its channel's are still to be written.
  due_per_channel_.assign(stubs_.size(), 0);
  for (Stream* stream : due_chunks_) ++due_per_channel_[stream->channel()];
  for (Stream* stream : due_chunks_) stream->write_chunk(--due_per_channel_[stream->channel()] > 0);
  due_chunks_.clear();
}

std::shared_ptr<Call> RivaAsrStreamClient::prepare(RequestRecord& record, std::function<void()> done) {
  const std::size_t i = record.index % utterances_.size();
  return std::make_shared<Stream>(*this, utterances_[i], frames_[i], record, std::move(done));
}

}  // namespace voxperf
