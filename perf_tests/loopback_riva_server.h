// A scripted Riva server for measuring the harness itself until the reference server (voxperf-refserver)
// lands: real gRPC on 127.0.0.1, the Riva wire protocol, but no speech engine. TTS streams silence in
// chunks of 0.25 s audio, one every `chunk_interval`; ASR acknowledges paced audio with interim results and
// answers a fixed final transcript after the half-close. Its numbers describe voxperf's own overhead and
// pacing, never a speech service.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

namespace voxperf::bench {

struct LoopbackTimings {
  std::chrono::milliseconds first_chunk{20};     // TTS: before the first audio chunk
  std::chrono::milliseconds chunk_interval{10};  // TTS: between audio chunks
  std::chrono::milliseconds final_delay{15};     // ASR: half-close to final transcript
};

class LoopbackRivaServer {
 public:
  explicit LoopbackRivaServer(LoopbackTimings timings = {});
  ~LoopbackRivaServer();
  const std::string& address() const { return address_; }

 private:
  class Asr;
  class Tts;
  std::unique_ptr<Asr> asr_;
  std::unique_ptr<Tts> tts_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace voxperf::bench
