#include "server/null/null_riva.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>

#include "harness/grpc/completion_queues.h"
#include "server/null/queued_writes.h"

namespace voxperf::nullserver {

using namespace nvidia::riva::asr;
using namespace nvidia::riva::tts;

namespace {

void fill_alternative(SpeechRecognitionAlternative& alternative, bool final) {
  alternative.set_transcript(NullAsrService::kTranscript);
  if (final) alternative.set_confidence(1.0f);
}

}  // namespace

double pcm_seconds(std::size_t bytes, int sample_rate, int channels) {
  if (sample_rate <= 0) sample_rate = 16000;
  return static_cast<double>(bytes) / (2.0 * sample_rate * std::max(1, channels));
}

StreamingRecognizeResponse null_stream_result(bool final, double seconds) {
  StreamingRecognizeResponse response;
  auto* result = response.add_results();
  fill_alternative(*result->add_alternatives(), final);
  if (final) {
    result->set_is_final(true);
  } else {
    result->set_stability(0.1f);
  }
  result->set_audio_processed(static_cast<float>(seconds));
  return response;
}

RecognizeResponse null_recognize_response(double seconds) {
  RecognizeResponse response;
  auto* result = response.add_results();
  fill_alternative(*result->add_alternatives(), true);
  result->set_audio_processed(static_cast<float>(seconds));
  return response;
}

RivaSpeechRecognitionConfigResponse null_asr_config(const NullScript& script, const std::string& model_name) {
  RivaSpeechRecognitionConfigResponse response;
  for (const char* type : {"online", "offline"}) {
    const std::string name = std::string(NullAsrService::kModelName) + "-" + type;
    if (!model_name.empty() && model_name != name) continue;
    auto* config = response.add_model_config();
    config->set_model_name(name);
    auto& parameters = *config->mutable_parameters();
    parameters["type"] = type;
    parameters["language_code"] = "en-US";
    parameters["engine"] = "null";
    parameters["first_delay"] = script.first.model().describe();
  }
  return response;
}

// --- ASR ---------------------------------------------------------------------------------------------------

// One StreamingRecognize call on the async API, from waiting for it to its end. Operations: the headers at
// once (NullTtsService's stream gets them out with its first audio; this one may answer only at the end, and
// a client on the callback API would keep an operation waiting for them meanwhile), a read always
// outstanding, one write at a time, and the final as WriteAndFinish. Responses are queued under the mutex
// (the final comes from the timer thread); an async operation never runs a handler inline, so they may be
// started with it held. The stream deletes itself once Finish has completed, the last of its operations.
class NullAsrService::Stream final {
 public:
  Stream(NullAsrService& service, grpc::ServerCompletionQueue* queue)
      : service_(service), queue_(queue), stream_(&context_) {
    {
      std::lock_guard lock(service_.streams_mutex_);
      ++service_.streams_;
    }
    service_.RequestStreamingRecognize(&context_, &stream_, queue_, queue_, &started_);
  }

  ~Stream() {
    std::lock_guard lock(service_.streams_mutex_);
    if (--service_.streams_ == 0) service_.streams_ended_.notify_all();
  }

 private:
  void on_started(bool ok) {
    if (!ok) return delete this;  // the server is shutting down: no call came
    new Stream(service_, queue_);  // waits for the next call on this queue
    ++service_.script_.requests;
    stream_.SendInitialMetadata(&headers_sent_);
    stream_.Read(&request_, &read_done_);
  }

  void on_headers_sent(bool ok) {
    std::lock_guard lock(mutex_);
    headers_pending_ = false;
    if (!ok) broken_ = true;
    pump();
  }

  void on_read_done(bool ok) {
    if (!ok) {
      // Half-close (or the client went away): the final result after the scripted delay.
      script().after(script().first.next(), [this] {
        auto response = null_stream_result(true, pcm_seconds(bytes_, sample_rate_, channels_));
        std::lock_guard lock(mutex_);
        final_ = std::move(response);
        pump();
      });
      return;
    }
    ++script().messages;
    if (request_.has_streaming_config()) {
      const auto& config = request_.streaming_config();
      sample_rate_ = config.config().sample_rate_hertz();
      channels_ = config.config().audio_channel_count();
      interim_ = config.interim_results();
    } else {
      bytes_ += request_.audio_content().size();
      if (interim_) {
        auto response = null_stream_result(false, pcm_seconds(bytes_, sample_rate_, channels_));
        std::lock_guard lock(mutex_);
        if (!broken_) queue_of_writes_.push_back(std::move(response));
        pump();
      }
    }
    stream_.Read(&request_, &read_done_);
  }

  void on_write_done(bool ok) {
    std::lock_guard lock(mutex_);
    writing_ = false;
    if (!ok) {
      broken_ = true;
      queue_of_writes_.clear();
    }
    pump();
  }

  void on_finished(bool) {
    { std::lock_guard lock(mutex_); }  // whoever started Finish has let go of the mutex
    delete this;
  }

  // With the mutex held: the next write, or the end once the final is ready and everything before it is out.
  void pump() {
    if (headers_pending_ || writing_ || finishing_) return;
    if (!queue_of_writes_.empty()) {
      writing_ = true;
      current_ = std::move(queue_of_writes_.front());
      queue_of_writes_.pop_front();
      stream_.Write(current_, &write_done_);
      return;
    }
    if (!final_) return;
    finishing_ = true;
    if (broken_) {
      stream_.Finish(grpc::Status::CANCELLED, &finished_);
    } else {
      stream_.WriteAndFinish(*final_, grpc::WriteOptions(), grpc::Status::OK, &finished_);
    }
  }

  NullScript& script() { return service_.script_; }

  NullAsrService& service_;
  grpc::ServerCompletionQueue* queue_;
  grpc::ServerContext context_;
  grpc::ServerAsyncReaderWriter<StreamingRecognizeResponse, StreamingRecognizeRequest> stream_;
  StreamingRecognizeRequest request_;
  // The read side's, touched only by the read handler (one read at a time) and then by the final's task.
  std::size_t bytes_ = 0;
  int sample_rate_ = 16000;
  int channels_ = 1;
  bool interim_ = false;
  std::mutex mutex_;  // guards the write side below
  std::deque<StreamingRecognizeResponse> queue_of_writes_;
  StreamingRecognizeResponse current_;  // the one being written
  std::optional<StreamingRecognizeResponse> final_;
  bool headers_pending_ = true;
  bool writing_ = false;
  bool finishing_ = false;
  bool broken_ = false;
  MemberTag<Stream> started_{this, &Stream::on_started};
  MemberTag<Stream> headers_sent_{this, &Stream::on_headers_sent};
  MemberTag<Stream> read_done_{this, &Stream::on_read_done};
  MemberTag<Stream> write_done_{this, &Stream::on_write_done};
  MemberTag<Stream> finished_{this, &Stream::on_finished};
};

void NullAsrService::serve_streams(grpc::ServerCompletionQueue* queue) { new Stream(*this, queue); }

void NullAsrService::wait_streams_ended() {
  std::unique_lock lock(streams_mutex_);
  streams_ended_.wait(lock, [this] { return streams_ == 0; });
}

grpc::ServerUnaryReactor* NullAsrService::Recognize(grpc::CallbackServerContext* call, const RecognizeRequest* request,
                                                    RecognizeResponse* response) {
  ++script_.requests;
  ++script_.messages;
  auto* reactor = call->DefaultReactor();
  const double seconds = pcm_seconds(request->audio().size(), request->config().sample_rate_hertz(),
                                     request->config().audio_channel_count());
  script_.after(script_.first.next(), [reactor, response, seconds] {
    *response = null_recognize_response(seconds);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* NullAsrService::GetRivaSpeechRecognitionConfig(
    grpc::CallbackServerContext* call, const RivaSpeechRecognitionConfigRequest* request,
    RivaSpeechRecognitionConfigResponse* response) {
  *response = null_asr_config(script_, request->model_name());
  auto* reactor = call->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

// --- TTS ---------------------------------------------------------------------------------------------------

namespace {

// Silent mono int16 audio for `text`: its length follows the script's speaking rate.
std::size_t audio_bytes(const NullScript& script, const SynthesizeSpeechRequest& request) {
  const int rate = request.sample_rate_hz() > 0 ? request.sample_rate_hz() : 22050;
  const double seconds = script.tts_seconds_per_char * static_cast<double>(std::max<std::size_t>(1, request.text().size()));
  return 2 * static_cast<std::size_t>(seconds * rate);
}

}  // namespace

class NullTtsService::Stream final : public QueuedWrites<SynthesizeSpeechRequest, SynthesizeSpeechResponse> {
 public:
  explicit Stream(NullScript& script) : script_(script) {
    ++script_.requests;
    StartRead(&request_);
  }

  // The one request of the stream starts the answer; the client's half-close is not waited for.
  void OnReadDone(bool ok) override {
    if (!ok) return finish_after_writes();  // went away before asking
    ++script_.messages;
    left_ = audio_bytes(script_, request_);
    const int rate = request_.sample_rate_hz() > 0 ? request_.sample_rate_hz() : 22050;
    chunk_ = std::max<std::size_t>(2, 2 * static_cast<std::size_t>(std::chrono::duration<double>(script_.tts_chunk).count() * rate));
    script_.after(script_.first.next(), [this] { next_chunk(); });
  }

 private:
  void next_chunk() {
    const std::size_t size = std::min(chunk_, left_);
    SynthesizeSpeechResponse response;
    response.mutable_audio()->assign(size, '\0');
    send(std::move(response));
    left_ -= size;
    if (left_ == 0 || broken()) return finish_after_writes();
    script_.after(script_.later.next(), [this] { next_chunk(); });
  }

  NullScript& script_;
  SynthesizeSpeechRequest request_;
  std::size_t left_ = 0;
  std::size_t chunk_ = 0;
};

grpc::ServerUnaryReactor* NullTtsService::Synthesize(grpc::CallbackServerContext* call,
                                                     const SynthesizeSpeechRequest* request,
                                                     SynthesizeSpeechResponse* response) {
  ++script_.requests;
  ++script_.messages;
  auto* reactor = call->DefaultReactor();
  const std::size_t bytes = audio_bytes(script_, *request);
  script_.after(script_.first.next(), [reactor, response, bytes] {
    response->mutable_audio()->assign(bytes, '\0');
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerBidiReactor<SynthesizeSpeechRequest, SynthesizeSpeechResponse>* NullTtsService::SynthesizeOnline(
    grpc::CallbackServerContext*) {
  return new Stream(script_);
}

grpc::ServerUnaryReactor* NullTtsService::GetRivaSynthesisConfig(grpc::CallbackServerContext* call,
                                                                 const RivaSynthesisConfigRequest* request,
                                                                 RivaSynthesisConfigResponse* response) {
  if (request->model_name().empty() || request->model_name() == kModelName) {
    auto* config = response->add_model_config();
    config->set_model_name(kModelName);
    auto& parameters = *config->mutable_parameters();
    parameters["voice_name"] = "null";
    parameters["language_code"] = "en-US";
    parameters["engine"] = "null";
    parameters["first_delay"] = script_.first.model().describe();
    parameters["later_delay"] = script_.later.model().describe();
  }
  auto* reactor = call->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace voxperf::nullserver
