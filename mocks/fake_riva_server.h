// gMock fake Riva servers: the handlers of the Riva ASR and TTS services are MOCK_METHODs, served by a real
// gRPC server on 127.0.0.1 with an ephemeral port. A test scripts the server with EXPECT_CALL / ON_CALL
// and points a client at address():
//
//   voxperf::mocks::MockRivaTts tts;
//   EXPECT_CALL(tts, SynthesizeOnline).WillRepeatedly([](auto*, auto* stream) { ...; return grpc::Status::OK; });
//   voxperf::mocks::FakeServer server({&tts});
//   voxperf::ChannelPool channels(server.endpoint());
#pragma once

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>

#include "harness/grpc/channel_pool.h"
#include "riva/proto/riva_asr.grpc.pb.h"
#include "riva/proto/riva_tts.grpc.pb.h"

namespace voxperf::mocks {

namespace asr = nvidia::riva::asr;
namespace tts = nvidia::riva::tts;

using AsrStream = grpc::ServerReaderWriter<asr::StreamingRecognizeResponse, asr::StreamingRecognizeRequest>;
using TtsStream = grpc::ServerReaderWriter<tts::SynthesizeSpeechResponse, tts::SynthesizeSpeechRequest>;

class MockRivaAsr : public asr::RivaSpeechRecognition::Service {
 public:
  MOCK_METHOD(grpc::Status, Recognize,
              (grpc::ServerContext*, const asr::RecognizeRequest*, asr::RecognizeResponse*), (override));
  MOCK_METHOD(grpc::Status, StreamingRecognize, (grpc::ServerContext*, AsrStream*), (override));
  MOCK_METHOD(grpc::Status, GetRivaSpeechRecognitionConfig,
              (grpc::ServerContext*, const asr::RivaSpeechRecognitionConfigRequest*,
               asr::RivaSpeechRecognitionConfigResponse*),
              (override));
};

class MockRivaTts : public tts::RivaSpeechSynthesis::Service {
 public:
  MOCK_METHOD(grpc::Status, Synthesize,
              (grpc::ServerContext*, const tts::SynthesizeSpeechRequest*, tts::SynthesizeSpeechResponse*), (override));
  MOCK_METHOD(grpc::Status, SynthesizeOnline, (grpc::ServerContext*, TtsStream*), (override));
  MOCK_METHOD(grpc::Status, GetRivaSynthesisConfig,
              (grpc::ServerContext*, const tts::RivaSynthesisConfigRequest*, tts::RivaSynthesisConfigResponse*),
              (override));
};

// A real gRPC server on 127.0.0.1:<ephemeral port> for the given services (which must outlive it).
class FakeServer {
 public:
  explicit FakeServer(std::initializer_list<grpc::Service*> services,
                      std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials());
  // Stops the server; calls still running after a short grace period are cancelled, so a handler that blocks
  // must watch ServerContext::IsCancelled (see wait_until_cancelled).
  ~FakeServer();

  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  const std::string& address() const { return address_; }
  Endpoint endpoint(std::size_t channels = 1) const;

 private:
  std::string address_;
  std::unique_ptr<grpc::Server> server_;
};

// For handlers that play a server that hangs: returns once the client has cancelled the call (or its deadline
// passed), or after `limit` as a guard against a hanging test; true when it was cancelled.
bool wait_until_cancelled(grpc::ServerContext* context, std::chrono::milliseconds limit = std::chrono::seconds(20));

}  // namespace voxperf::mocks
