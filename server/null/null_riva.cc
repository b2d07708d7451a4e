#include "server/null/null_riva.h"

#include <algorithm>
#include <string>

#include "server/null/queued_writes.h"

namespace voxperf::nullserver {

using namespace nvidia::riva::asr;
using namespace nvidia::riva::tts;

namespace {

double audio_seconds(std::size_t bytes, int sample_rate, int channels) {
  if (sample_rate <= 0) sample_rate = 16000;
  return static_cast<double>(bytes) / (2.0 * sample_rate * std::max(1, channels));
}

void fill_alternative(SpeechRecognitionAlternative& alternative, bool final) {
  alternative.set_transcript(NullAsrService::kTranscript);
  if (final) alternative.set_confidence(1.0f);
}

}  // namespace

// --- ASR ---------------------------------------------------------------------------------------------------

class NullAsrService::Stream final : public QueuedWrites<StreamingRecognizeRequest, StreamingRecognizeResponse> {
 public:
  explicit Stream(NullScript& script) : script_(script) {
    ++script_.requests;
    // Headers at once, as a server that answers only at the end still should: until they arrive the client's
    // receive-metadata op stays outstanding, and Debian's libgrpc (built with debug checks) scans every
    // outstanding tag of the completion queue on each completion, so idle ops cost every stream's chunks.
    StartSendInitialMetadata();
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // Half-close (or the client went away): the final result after the scripted delay.
      script_.after(script_.first.next(), [this] {
        StreamingRecognizeResponse response;
        auto* result = response.add_results();
        fill_alternative(*result->add_alternatives(), true);
        result->set_is_final(true);
        result->set_audio_processed(static_cast<float>(audio_seconds(bytes_, sample_rate_, channels_)));
        send(std::move(response));
        finish_after_writes();
      });
      return;
    }
    ++script_.messages;
    if (request_.has_streaming_config()) {
      const auto& config = request_.streaming_config();
      sample_rate_ = config.config().sample_rate_hertz();
      channels_ = config.config().audio_channel_count();
      interim_ = config.interim_results();
    } else {
      bytes_ += request_.audio_content().size();
      if (interim_) {
        StreamingRecognizeResponse response;
        auto* result = response.add_results();
        fill_alternative(*result->add_alternatives(), false);
        result->set_stability(0.1f);
        result->set_audio_processed(static_cast<float>(audio_seconds(bytes_, sample_rate_, channels_)));
        send(std::move(response));
      }
    }
    StartRead(&request_);
  }

 private:
  NullScript& script_;
  StreamingRecognizeRequest request_;
  std::size_t bytes_ = 0;
  int sample_rate_ = 16000;
  int channels_ = 1;
  bool interim_ = false;
};

grpc::ServerUnaryReactor* NullAsrService::Recognize(grpc::CallbackServerContext* call, const RecognizeRequest* request,
                                                    RecognizeResponse* response) {
  ++script_.requests;
  ++script_.messages;
  auto* reactor = call->DefaultReactor();
  const double seconds = audio_seconds(request->audio().size(), request->config().sample_rate_hertz(),
                                       request->config().audio_channel_count());
  script_.after(script_.first.next(), [reactor, response, seconds] {
    auto* result = response->add_results();
    fill_alternative(*result->add_alternatives(), true);
    result->set_audio_processed(static_cast<float>(seconds));
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerBidiReactor<StreamingRecognizeRequest, StreamingRecognizeResponse>* NullAsrService::StreamingRecognize(
    grpc::CallbackServerContext*) {
  return new Stream(script_);
}

grpc::ServerUnaryReactor* NullAsrService::GetRivaSpeechRecognitionConfig(
    grpc::CallbackServerContext* call, const RivaSpeechRecognitionConfigRequest* request,
    RivaSpeechRecognitionConfigResponse* response) {
  for (const char* type : {"online", "offline"}) {
    const std::string name = std::string(kModelName) + "-" + type;
    if (!request->model_name().empty() && request->model_name() != name) continue;
    auto* config = response->add_model_config();
    config->set_model_name(name);
    auto& parameters = *config->mutable_parameters();
    parameters["type"] = type;
    parameters["language_code"] = "en-US";
    parameters["engine"] = "null";
    parameters["first_delay"] = script_.first.model().describe();
  }
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
