#include "server/tts_service.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "server/language.h"
#include "server/resampler.h"
#include "server/server_stream.h"

namespace voxperf::refserver {

using nvidia::riva::tts::SynthesizeSpeechRequest;
using nvidia::riva::tts::SynthesizeSpeechResponse;

namespace {

constexpr int kMinRate = 8000, kMaxRate = 48000;

bool has_words(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

void append_bytes(std::string& out, const std::vector<std::int16_t>& samples) {
  out.append(reinterpret_cast<const char*>(samples.data()), samples.size() * sizeof(std::int16_t));
}

}  // namespace

TtsService::TtsService(const ServiceContext& context, EspeakEngine& engine)
    : context_(context),
      engine_(engine),
      admission_(static_cast<std::size_t>(context.profile.max_batch)),
      picks_(context.faults) {}

grpc::Status TtsService::check(const SynthesizeSpeechRequest& request, const Voice*& voice) const {
  if (!has_words(request.text())) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "text is empty; send the text to speak"};
  }
  if (!request.language_code().empty() && !is_en_us(request.language_code())) {
    return {grpc::StatusCode::NOT_FOUND,
            "language_code '" + request.language_code() + "': no voice for it; this server has en-US"};
  }
  voice = engine_.find_voice(request.voice_name());
  if (voice == nullptr) {
    std::string names;
    for (const auto& v : engine_.voices()) names += (names.empty() ? "" : ", ") + v.name;
    return {grpc::StatusCode::NOT_FOUND, "voice_name '" + request.voice_name() + "' not found; voices: " + names};
  }
  if (request.encoding() != nvidia::riva::LINEAR_PCM && request.encoding() != nvidia::riva::ENCODING_UNSPECIFIED) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "encoding " + nvidia::riva::AudioEncoding_Name(request.encoding()) +
                                                    " is not supported; use LINEAR_PCM"};
  }
  const int rate = request.sample_rate_hz();
  if (rate != 0 && (rate < kMinRate || rate > kMaxRate)) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "sample_rate_hz " + std::to_string(rate) + " is not supported; use 8000 to 48000"};
  }
  if (!request.zero_shot_data().audio_prompt().empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "zero_shot_data: voice cloning is not supported by espeak-ng"};
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* TtsService::GetRivaSynthesisConfig(
    grpc::CallbackServerContext* call, const nvidia::riva::tts::RivaSynthesisConfigRequest* request,
    nvidia::riva::tts::RivaSynthesisConfigResponse* response) {
  if (request->model_name().empty() || request->model_name() == kModelName) {
    auto* config = response->add_model_config();
    config->set_model_name(kModelName);
    auto& parameters = *config->mutable_parameters();
    std::string subvoices;
    int index = 0;
    for (const auto& voice : engine_.voices()) {
      const auto dot = voice.name.find('.');
      parameters["voice_name"] = voice.name.substr(0, dot);
      subvoices += (subvoices.empty() ? "" : ",") + voice.name.substr(dot + 1) + ":" + std::to_string(index++);
    }
    parameters["subvoices"] = subvoices;
    parameters["language_code"] = "en-US";
    parameters["sample_rate"] = std::to_string(engine_.sample_rate());
    parameters["engine"] = "espeak-ng";
    add_profile_parameters(context_, parameters);
  }
  auto* reactor = call->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* TtsService::Synthesize(grpc::CallbackServerContext* call,
                                                 const SynthesizeSpeechRequest* request,
                                                 SynthesizeSpeechResponse* response) {
  auto* reactor = call->DefaultReactor();
  const Voice* voice = nullptr;
  if (auto status = check(*request, voice); !status.ok()) {
    reactor->Finish(status);
    return reactor;
  }
  if (picks_.error()) {
    reactor->Finish(injected_error(context_));
    return reactor;
  }
  admission_.enter([=, this] {
    const int rate = request->sample_rate_hz() != 0 ? request->sample_rate_hz() : engine_.sample_rate();
    auto resampler = std::make_shared<Resampler>(engine_.sample_rate(), rate);
    auto samples = std::make_shared<std::vector<std::int16_t>>();
    auto job = std::make_shared<SynthesisJob>();
    job->voice = voice;
    job->segments = split_segments(request->text());
    job->cancelled = [call] { return call->IsCancelled(); };
    job->audio = [resampler, samples](std::span<const std::int16_t> audio) { resampler->process(audio, *samples); };
    job->done = [=, this](bool completed) {
      auto finish = [this, reactor](grpc::Status status) {
        admission_.leave();
        reactor->Finish(status);
      };
      if (!completed) return finish(grpc::Status::CANCELLED);
      resampler->flush(*samples);
      append_bytes(*response->mutable_audio(), *samples);
      if (request->has_id()) *response->mutable_id() = request->id();
      const TimePoint due = context_.clock->now() + context_.faults.first_response_delay;
      if (due > context_.clock->now()) {
        context_.timers->at(due, [finish] { finish(grpc::Status::OK); });
      } else {
        finish(grpc::Status::OK);
      }
    };
    engine_.submit(std::move(job));
  });
  return reactor;
}

// One SynthesizeOnline call: the first request starts synthesis at once; the stream then only expects the
// half-close. Each buffer espeak-ng produces goes out as one response.
class TtsService::Stream final : public ServerStream<SynthesizeSpeechRequest, SynthesizeSpeechResponse> {
 public:
  Stream(TtsService& service, grpc::CallbackServerContext* call)
      : ServerStream(service.context_, call), service_(service) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      if (!started_) return finish({grpc::StatusCode::INVALID_ARGUMENT, "the stream ended before its request"});
      return end_of_input();  // the expected half-close (or a broken stream, which OnCancel ends)
    }
    if (started_) {  // a second request, read into extra_
      finish({grpc::StatusCode::INVALID_ARGUMENT,
              "SynthesizeOnline takes one request per stream followed by a half-close (as Riva servers "
              "before 2.25 do); open a new stream for more text"});
      extra_request_ = true;  // after finish: stopping the engine must not end the call as CANCELLED first
      return;
    }
    started_ = true;
    const Voice* voice = nullptr;
    if (auto status = service_.check(request_, voice); !status.ok()) return finish(status);
    if (service_.picks_.error()) return finish(injected_error(service_.context_));
    set_faults({service_.picks_.stall(), service_.picks_.drop()});
    voice_ = voice;
    segments_ = split_segments(request_.text());
    ref();  // held by the admission and then the engine job
    service_.admission_.enter([this] { start_synthesis(); });
    StartRead(&extra_);  // request_ stays as it is: the engine thread reads it
  }

 private:
  ~Stream() override {
    if (holds_slot_) service_.admission_.leave();
  }

  void start_synthesis() {
    mark_admitted();
    holds_slot_ = true;
    if (cancelled()) return unref();  // gave up while queued: the engine never sees it
    auto& engine = service_.engine_;
    const int rate = request_.sample_rate_hz() != 0 ? request_.sample_rate_hz() : engine.sample_rate();
    resampler_ = std::make_unique<Resampler>(engine.sample_rate(), rate);
    auto job = std::make_shared<SynthesisJob>();
    job->voice = voice_;
    job->segments = std::move(segments_);
    job->cancelled = [this] { return cancelled() || extra_request_; };
    job->audio = [this](std::span<const std::int16_t> audio) {
      chunk_.clear();
      resampler_->process(audio, chunk_);
      send_chunk();
    };
    job->done = [this](bool completed) {
      if (completed) {
        chunk_.clear();
        resampler_->flush(chunk_);
        send_chunk();
        end_of_audio();
      } else {
        finish(grpc::Status::CANCELLED);
      }
      unref();
    };
    service_.engine_.submit(std::move(job));
  }

  // The stream ends OK once the audio is all sent and the client has half-closed, in either order: a second
  // request arriving before the half-close must still get its INVALID_ARGUMENT.
  void end_of_input() {
    std::lock_guard lock(end_mutex_);
    input_ended_ = true;
    if (audio_ended_) finish(grpc::Status::OK);
  }
  void end_of_audio() {
    std::lock_guard lock(end_mutex_);
    audio_ended_ = true;
    if (input_ended_) finish(grpc::Status::OK);
  }

  void send_chunk() {
    if (chunk_.empty()) return;
    SynthesizeSpeechResponse response;
    append_bytes(*response.mutable_audio(), chunk_);
    if (request_.has_id()) *response.mutable_id() = request_.id();
    send(std::move(response));
  }

  TtsService& service_;
  SynthesizeSpeechRequest request_, extra_;
  std::vector<std::string> segments_;
  bool started_ = false;
  std::atomic<bool> extra_request_{false};
  const Voice* voice_ = nullptr;
  std::atomic<bool> holds_slot_{false};
  std::mutex end_mutex_;
  bool input_ended_ = false, audio_ended_ = false;
  // Engine-thread state.
  std::unique_ptr<Resampler> resampler_;
  std::vector<std::int16_t> chunk_;
};

grpc::ServerBidiReactor<SynthesizeSpeechRequest, SynthesizeSpeechResponse>* TtsService::SynthesizeOnline(
    grpc::CallbackServerContext* call) {
  return new Stream(*this, call);
}

}  // namespace voxperf::refserver
