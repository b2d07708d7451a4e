#include "perf_tests/loopback_riva_server.h"

#include <stdexcept>
#include <thread>

#include "riva/proto/riva_asr.grpc.pb.h"
#include "riva/proto/riva_tts.grpc.pb.h"

namespace voxperf::bench {

namespace asr = nvidia::riva::asr;
namespace tts = nvidia::riva::tts;

class LoopbackRivaServer::Asr final : public asr::RivaSpeechRecognition::Service {
 public:
  explicit Asr(LoopbackTimings timings) : timings_(timings) {}

  grpc::Status StreamingRecognize(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<asr::StreamingRecognizeResponse, asr::StreamingRecognizeRequest>* stream) override {
    asr::StreamingRecognizeRequest request;
    if (!stream->Read(&request) || !request.has_streaming_config()) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "the first message must carry streaming_config"};
    }
    const bool interim = request.streaming_config().interim_results();
    const int rate = request.streaming_config().config().sample_rate_hertz();
    double seconds = 0.0;
    for (int n = 1; stream->Read(&request); ++n) {
      seconds += static_cast<double>(request.audio_content().size()) / 2.0 / rate;
      if (interim && n % 3 == 0) {
        asr::StreamingRecognizeResponse partial;
        auto* result = partial.add_results();
        result->add_alternatives()->set_transcript("loopback");
        result->set_audio_processed(static_cast<float>(seconds));
        stream->Write(partial);
      }
    }
    std::this_thread::sleep_for(timings_.final_delay);
    asr::StreamingRecognizeResponse final_response;
    auto* result = final_response.add_results();
    result->set_is_final(true);
    result->add_alternatives()->set_transcript("loopback server transcript");
    result->set_audio_processed(static_cast<float>(seconds));
    stream->Write(final_response);
    return grpc::Status::OK;
  }

  grpc::Status Recognize(grpc::ServerContext*, const asr::RecognizeRequest* request,
                         asr::RecognizeResponse* response) override {
    const int rate = request->config().sample_rate_hertz();
    if (rate <= 0) return {grpc::StatusCode::INVALID_ARGUMENT, "sample_rate_hertz must be positive"};
    std::this_thread::sleep_for(timings_.final_delay);
    auto* result = response->add_results();
    result->add_alternatives()->set_transcript("loopback server transcript");
    result->set_audio_processed(static_cast<float>(request->audio().size()) / 2.0f / static_cast<float>(rate));
    return grpc::Status::OK;
  }

 private:
  LoopbackTimings timings_;
};

class LoopbackRivaServer::Tts final : public tts::RivaSpeechSynthesis::Service {
 public:
  explicit Tts(LoopbackTimings timings) : timings_(timings) {}

  grpc::Status SynthesizeOnline(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<tts::SynthesizeSpeechResponse, tts::SynthesizeSpeechRequest>* stream) override {
    tts::SynthesizeSpeechRequest request;
    if (!stream->Read(&request)) return {grpc::StatusCode::INVALID_ARGUMENT, "no request on the stream"};
    // About 15 characters per second of speech; 0.25 s of audio per chunk.
    const int rate = request.sample_rate_hz() > 0 ? request.sample_rate_hz() : 22050;
    const auto chunks = std::max<std::size_t>(1, request.text().size() / 4 / 4);
    tts::SynthesizeSpeechResponse response;
    response.set_audio(std::string(static_cast<std::size_t>(rate / 4) * 2, '\0'));
    std::this_thread::sleep_for(timings_.first_chunk);
    for (std::size_t i = 0; i < chunks && !context->IsCancelled(); ++i) {
      if (i > 0) std::this_thread::sleep_for(timings_.chunk_interval);
      stream->Write(response);
    }
    return grpc::Status::OK;
  }

  grpc::Status Synthesize(grpc::ServerContext*, const tts::SynthesizeSpeechRequest* request,
                          tts::SynthesizeSpeechResponse* response) override {
    const int rate = request->sample_rate_hz() > 0 ? request->sample_rate_hz() : 22050;
    const auto chunks = std::max<std::size_t>(1, request->text().size() / 4 / 4);
    std::this_thread::sleep_for(timings_.first_chunk + timings_.chunk_interval * static_cast<int>(chunks - 1));
    response->set_audio(std::string(chunks * static_cast<std::size_t>(rate / 4) * 2, '\0'));
    return grpc::Status::OK;
  }

 private:
  LoopbackTimings timings_;
};

LoopbackRivaServer::LoopbackRivaServer(LoopbackTimings timings)
    : asr_(std::make_unique<Asr>(timings)), tts_(std::make_unique<Tts>(timings)) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(asr_.get());
  builder.RegisterService(tts_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) throw std::runtime_error("loopback server: could not listen on 127.0.0.1");
  address_ = "127.0.0.1:" + std::to_string(port);
}

LoopbackRivaServer::~LoopbackRivaServer() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server_->Wait();
}

}  // namespace voxperf::bench
