#include "harness/pipelines/riva_asr/asr_stream_client.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <stdexcept>

#include "harness/pipelines/riva_asr/asr_response.h"

namespace voxperf {

using nvidia::riva::asr::StreamingRecognizeResponse;

namespace {

const std::string& streaming_recognize_method() {
  static const std::string method =
      "/" + std::string(nvidia::riva::asr::RivaSpeechRecognition::service_full_name()) + "/StreamingRecognize";
  return method;
}

}  // namespace

class RivaAsrStreamClient::Stream final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, StreamingRecognizeResponse>,
      public Call,
      public std::enable_shared_from_this<Stream> {
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
  }

  void start() override {
    self_ = shared_from_this();  // released in OnDone
    client_.stubs_.next().PrepareBidiStreamingCall(&context_, streaming_recognize_method(), grpc::StubOptions(), this);
    AddHold();  // audio chunks are written from the timer thread, outside reactions
    StartWrite(&frames_.config());
    StartRead(&response_);
    record_.sent = client_.clock_.now();
    StartCall();
  }

  void cancel() override { context_.TryCancel(); }

  void OnWriteDone(bool ok) override {
    if (!ok || next_chunk_ == frames_.chunks()) {
      // Stream broken (OnDone says how), or the last chunk went out with the half-close.
      if (ok && frames_.chunks() == 0) {
        StartWritesDone();
      }
      RemoveHold();
      return;
    }
    const auto& settings = client_.settings_;
    if (settings.real_time && next_chunk_ > 0) {
      const TimePoint due = *record_.first_chunk_sent + chunk_offset(next_chunk_);
      if (due > client_.clock_.now()) {
        client_.timers_.at(due, [this] { write_chunk(); });  // the hold keeps this stream alive
        return;
      }
    }
    write_chunk();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    record_.responses.push_back(asr_response_event(response_, client_.clock_.now()));
    StartRead(&response_);
  }

  void OnDone(const grpc::Status& status) override {
    record_.end = client_.clock_.now();
    record_.status = to_status(status);
    finish(std::move(self_), std::move(done_));
  }

 private:
  // When chunk k is due, counted from the first chunk's send: the real-time schedule of the utterance.
  Nanos chunk_offset(std::size_t k) const {
    return std::chrono::duration_cast<Nanos>(client_.settings_.chunk * static_cast<double>(k));
  }

  void write_chunk() {
    const grpc::ByteBuffer* chunk = &frames_.chunk(next_chunk_);
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
    if (next_chunk_ == frames_.chunks()) {
      record_.last_chunk_sent = now;
      StartWriteLast(chunk, grpc::WriteOptions());
    } else {
      StartWrite(chunk);
    }
  }

  RivaAsrStreamClient& client_;
  const AsrStreamFrames& frames_;
  RequestRecord& record_;
  std::function<void()> done_;
  grpc::ClientContext context_;
  StreamingRecognizeResponse response_;
  std::size_t next_chunk_ = 0;
  std::shared_ptr<Stream> self_;
};

RivaAsrStreamClient::RivaAsrStreamClient(ChannelPool& channels, std::span<const Utterance> utterances,
                                         AsrSettings settings, TimerQueue& timers, const Clock& clock)
    : stubs_(channels), utterances_(utterances), settings_(std::move(settings)), timers_(timers), clock_(clock) {
  if (utterances_.empty()) throw std::invalid_argument("streaming ASR client needs at least one utterance");
  if (settings_.chunk <= Nanos::zero()) throw std::invalid_argument("streaming ASR chunk length must be positive");
  frames_.reserve(utterances_.size());
  for (const auto& utterance : utterances_) frames_.emplace_back(utterance, settings_);
}

std::shared_ptr<Call> RivaAsrStreamClient::prepare(RequestRecord& record, std::function<void()> done) {
  const std::size_t i = record.index % utterances_.size();
  return std::make_shared<Stream>(*this, utterances_[i], frames_[i], record, std::move(done));
}

}  // namespace voxperf
