// The reference server's Triton model `streaming_acoustic`: a streaming acoustic model with sequence batching,
// backed by pocketsphinx. Each live sequence (correlation id) holds a decoder of its own; each request feeds
// its chunk of audio (input AUDIO, FP32, [1, samples] at 16 kHz) and answers with the partial transcript
// (output TRANSCRIPT, BYTES, [1, 1]); the request with sequence_end answers the final transcript and frees
// the decoder. At most the profile's max_batch requests are decoded at once (the rest queue, as behind
// Triton's batcher), so throughput saturates and latency climbs past capacity.
//
// Requests are checked the way Triton checks them, with Triton's texts: unknown inputs, datatype, shape,
// byte size, batch size 1, a sequence id as int64_param, START on a sequence's first request. A sequence
// with nothing in flight for longer than max_sequence_idle is released (checked as requests arrive), and
// its next request is refused as one that never started.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kserve/grpc_service.pb.h"
#include "server/admission.h"
#include "server/service_context.h"
#include "server/sphinx_decoder.h"
#include "server/worker_pool.h"

namespace voxperf::refserver {

// A request's outcome: the response, or an error (code and Triton's message).
struct InferOutcome {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string error;
  inference::ModelInferResponse response;
};

class AcousticModel {
 public:
  static constexpr const char* kName = "streaming_acoustic";
  static constexpr const char* kInput = "AUDIO";
  static constexpr const char* kOutput = "TRANSCRIPT";

  AcousticModel(const ServiceContext& context, WorkerPool& workers, SphinxModel model,
                std::chrono::microseconds max_sequence_idle);
  ~AcousticModel();

  void metadata(inference::ModelMetadataResponse& out) const;
  void config(inference::ModelConfig& out) const;
  void statistics(inference::ModelStatistics& out) const;

  // Checks `request` and queues it on its sequence; `answer` runs exactly once, on this thread (a refused
  // request) or on a worker.
  void infer(const inference::ModelInferRequest& request, std::function<void(InferOutcome)> answer);

  std::size_t live_sequences() const;
  std::size_t decoders() const { return decoders_.created(); }
  const Admission& admission() const { return admission_; }

 private:
  struct Sequence;
  struct Stats;
  std::string check_input(const inference::ModelInferRequest& request) const;
  void reap_idle(TimePoint now);  // with mutex_ held
  void run(const inference::ModelInferRequest& request, std::shared_ptr<Sequence> sequence, bool end,
           TimePoint arrived, std::function<void(InferOutcome)> answer);

  const ServiceContext& context_;
  WorkerPool& workers_;
  DecoderPool decoders_;
  Admission admission_;
  const std::chrono::microseconds max_sequence_idle_;

  mutable std::mutex mutex_;
  std::map<std::int64_t, std::shared_ptr<Sequence>> sequences_;
  std::unique_ptr<Stats> stats_;
};

}  // namespace voxperf::refserver
