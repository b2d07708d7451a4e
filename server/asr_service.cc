#include "server/asr_service.h"

#include <memory>

#include "server/audio_input.h"
#include "server/cpu_slowdown.h"
#include "server/resampler.h"
#include "server/server_stream.h"

namespace voxperf::refserver {

using nvidia::riva::asr::RecognizeRequest;
using nvidia::riva::asr::RecognizeResponse;
using nvidia::riva::asr::StreamingRecognizeRequest;
using nvidia::riva::asr::StreamingRecognizeResponse;

namespace {

std::vector<std::int16_t> to_model_rate(std::vector<std::int16_t> samples, int rate) {
  return resample_all(std::move(samples), rate, SphinxModel::kSampleRate);
}

}  // namespace

AsrService::AsrService(const ServiceContext& context, WorkerPool& workers, SphinxModel model)
    : context_(context),
      workers_(workers),
      decoders_(std::move(model)),
      admission_(static_cast<std::size_t>(context.profile.max_batch)),
      picks_(context.faults) {}

grpc::ServerUnaryReactor* AsrService::GetRivaSpeechRecognitionConfig(
    grpc::CallbackServerContext* call, const nvidia::riva::asr::RivaSpeechRecognitionConfigRequest* request,
    nvidia::riva::asr::RivaSpeechRecognitionConfigResponse* response) {
  for (const auto& model : asr_models()) {
    if (!request->model_name().empty() && request->model_name() != model.name) continue;
    auto* config = response->add_model_config();
    config->set_model_name(model.name);
    auto& parameters = *config->mutable_parameters();
    parameters["type"] = model.type;
    parameters["language_code"] = "en-US";
    parameters["sample_rate"] = std::to_string(SphinxModel::kSampleRate);
    parameters["engine"] = "pocketsphinx";
    add_profile_parameters(context_, parameters);
  }
  auto* reactor = call->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AsrService::Recognize(grpc::CallbackServerContext* call, const RecognizeRequest* request,
                                                RecognizeResponse* response) {
  auto* reactor = call->DefaultReactor();
  if (auto status = check_recognition_config(request->config()); !status.ok()) {
    reactor->Finish(status);
  } else if (picks_.error()) {
    reactor->Finish(injected_error(context_));
  } else {
    admission_.enter([=, this] { workers_.post([=, this] { recognize(call, request, response, reactor); }); });
  }
  return reactor;
}

// On a worker, holding an admission slot.
void AsrService::recognize(grpc::CallbackServerContext* call, const RecognizeRequest* request,
                           RecognizeResponse* response, grpc::ServerUnaryReactor* reactor) {
  auto finish = [this, reactor](grpc::Status status) {
    admission_.leave();
    reactor->Finish(status);
  };
  if (call->IsCancelled()) return finish(grpc::Status::CANCELLED);
  std::vector<std::int16_t> samples;
  int rate = 0;
  if (auto status = read_offline_audio(request->config(), request->audio(), samples, rate); !status.ok()) {
    return finish(status);
  }
  const double seconds = static_cast<double>(samples.size()) / rate;
  samples = to_model_rate(std::move(samples), rate);
  std::string transcript;
  {
    auto decoder = decoders_.acquire();
    slowed(context_.faults.slowdown, [&] { transcript = decoder->transcribe(samples); });
  }
  auto* result = response->add_results();
  result->set_audio_processed(static_cast<float>(seconds));
  auto* alternative = result->add_alternatives();
  alternative->set_transcript(transcript);
  alternative->set_confidence(transcript.empty() ? 0.0f : 1.0f);
  if (request->has_id()) *response->mutable_id() = request->id();

  const TimePoint due = context_.clock->now() + context_.faults.first_response_delay;
  if (due > context_.clock->now()) {
    context_.timers->at(due, [finish] { finish(grpc::Status::OK); });  // the slot stays held, as in a slow model
  } else {
    finish(grpc::Status::OK);
  }
}

// One StreamingRecognize call. Audio that arrives before the stream is admitted waits in `pending_`; after
// that every chunk is decoded in order on the stream's strand.
class AsrService::Stream final : public ServerStream<StreamingRecognizeRequest, StreamingRecognizeResponse> {
 public:
  Stream(AsrService& service, grpc::CallbackServerContext* call)
      : ServerStream(service.context_, call), service_(service), strand_(Strand::create(service.workers_)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // Half-close (or a broken stream, which OnCancel ends): decode what is left and send the final result.
      std::lock_guard lock(mutex_);
      if (!configured_) return finish({grpc::StatusCode::INVALID_ARGUMENT,
                                       "the stream ended before its first message (streaming_config)"});
      half_closed_ = true;
      if (admitted_) post_final();
      return;
    }
    if (!configured_) return configure();
    if (request_.has_streaming_config()) {
      return finish({grpc::StatusCode::INVALID_ARGUMENT,
                     "streaming_config may only be the first message; later messages carry only audio_content"});
    }
    {
      std::lock_guard lock(mutex_);
      std::vector<std::int16_t> samples;
      if (auto status = audio_->append(request_.audio_content(), samples); !status.ok()) return finish(status);
      if (!admitted_) {
        pending_.insert(pending_.end(), samples.begin(), samples.end());
      } else {
        post_decode(std::move(samples));
      }
    }
    StartRead(&request_);
  }

 private:
  ~Stream() override {
    if (holds_slot_) service_.admission_.leave();
  }

  void configure() {
    if (!request_.has_streaming_config()) {
      return finish({grpc::StatusCode::INVALID_ARGUMENT,
                     "the first StreamingRecognizeRequest must carry streaming_config, not audio_content"});
    }
    const auto& streaming = request_.streaming_config();
    if (auto status = check_recognition_config(streaming.config()); !status.ok()) return finish(status);
    if (service_.picks_.error()) return finish(injected_error(service_.context_));
    configured_ = true;
    interim_ = streaming.interim_results();
    audio_ = std::make_unique<StreamAudio>(streaming.config().sample_rate_hertz());
    set_faults({service_.picks_.stall(), service_.picks_.drop()});
    ref();  // released when admitted
    service_.admission_.enter([this] { admitted(); });
    StartRead(&request_);
  }

  void admitted() {
    mark_admitted();
    std::lock_guard lock(mutex_);
    holds_slot_ = true;
    admitted_ = true;
    post_decode(std::move(pending_));
    if (half_closed_) post_final();
    unref();  // the posted tasks hold their own references
  }

  // Called with mutex_ held; Strand::post never calls back into this stream.
  void post_decode(std::vector<std::int16_t> samples) {
    if (samples.empty()) return;
    ref();
    strand_->post([this, samples = std::move(samples), rate = audio_->sample_rate()] {
      if (!cancelled()) decode(samples, rate);
      unref();
    });
  }

  void post_final() {
    ref();
    strand_->post([this, ended = audio_->finish()] {
      if (!cancelled()) finish_utterance(ended);
      unref();
    });
  }

  // On the strand: in order, one at a time.
  void decode(const std::vector<std::int16_t>& samples, int rate) {
    std::string partial;
    slowed(service_.context_.faults.slowdown, [&] { partial = decode_chunk(samples, rate); });
    if (partial.empty() || partial == last_partial_) return;
    last_partial_ = partial;
    send(result(std::move(partial), false));
  }

  // Decodes one chunk; returns the partial hypothesis when interim results are asked for.
  std::string decode_chunk(const std::vector<std::int16_t>& samples, int rate) {
    if (!decoder_) {
      decoder_ = service_.decoders_.acquire();
      decoder_->start();
      rate_ = rate;
      if (rate_ != SphinxModel::kSampleRate) resampler_ = std::make_unique<Resampler>(rate_, SphinxModel::kSampleRate);
    }
    received_ += samples.size();
    if (resampler_) {
      model_rate_.clear();
      resampler_->process(samples, model_rate_);
      decoder_->process(model_rate_);
    } else {
      decoder_->process(samples);
    }
    return interim_ ? decoder_->partial() : std::string();
  }

  void finish_utterance(const grpc::Status& audio_ended) {
    if (!audio_ended.ok()) return finish(audio_ended);
    if (!decoder_) decode({}, SphinxModel::kSampleRate);  // no audio at all: an empty transcript
    std::string transcript;
    slowed(service_.context_.faults.slowdown, [&] {
      if (resampler_) {
        model_rate_.clear();
        resampler_->flush(model_rate_);
        decoder_->process(model_rate_);
      }
      transcript = decoder_->finish();
    });
    decoder_.reset();  // back to the pool before the (maybe delayed) final goes out
    send(result(std::move(transcript), true));
    finish(grpc::Status::OK);
  }

  StreamingRecognizeResponse result(std::string transcript, bool is_final) const {
    StreamingRecognizeResponse response;
    auto* result = response.add_results();
    result->set_is_final(is_final);
    result->set_audio_processed(static_cast<float>(static_cast<double>(received_) / rate_));
    auto* alternative = result->add_alternatives();
    if (is_final) alternative->set_confidence(transcript.empty() ? 0.0f : 1.0f);
    alternative->set_transcript(std::move(transcript));
    return response;
  }

  AsrService& service_;
  std::shared_ptr<Strand> strand_;
  StreamingRecognizeRequest request_;  // reads: one at a time, on gRPC's threads
  bool configured_ = false;

  std::mutex mutex_;  // guards what reads and admission share
  bool admitted_ = false, holds_slot_ = false, half_closed_ = false;
  std::vector<std::int16_t> pending_;
  std::unique_ptr<StreamAudio> audio_;

  // Strand-only state.
  bool interim_ = false;
  int rate_ = SphinxModel::kSampleRate;
  DecoderPool::Lease decoder_{nullptr, DecoderPool::Return{nullptr}};
  std::unique_ptr<Resampler> resampler_;
  std::vector<std::int16_t> model_rate_;
  std::size_t received_ = 0;
  std::string last_partial_;
};

grpc::ServerBidiReactor<StreamingRecognizeRequest, StreamingRecognizeResponse>* AsrService::StreamingRecognize(
    grpc::CallbackServerContext* call) {
  return new Stream(*this, call);
}

}  // namespace voxperf::refserver
