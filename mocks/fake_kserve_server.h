// A gMock fake Triton: the handlers of GRPCInferenceService are MOCK_METHODs (serve it with FakeServer), and
// a SequenceLedger that a stream handler feeds with every request it reads, in the spirit of perf_analyzer's
// MockClientStats: which sequence ids were used, which are live, how long each sequence was, and any request
// that broke the sequence rules (no START on a new id, START on a live id, a request after END).
//
//   voxperf::mocks::MockKServe triton;
//   voxperf::mocks::SequenceLedger ledger;
//   ON_CALL(triton, ModelStreamInfer).WillByDefault(voxperf::mocks::answer_sequences(ledger));
#pragma once

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kserve/grpc_service.grpc.pb.h"

namespace voxperf::mocks {

using KServeStream = grpc::ServerReaderWriter<inference::ModelStreamInferResponse, inference::ModelInferRequest>;

class MockKServe : public inference::GRPCInferenceService::Service {
 public:
  MOCK_METHOD(grpc::Status, ModelMetadata,
              (grpc::ServerContext*, const inference::ModelMetadataRequest*, inference::ModelMetadataResponse*),
              (override));
  MOCK_METHOD(grpc::Status, ModelConfig,
              (grpc::ServerContext*, const inference::ModelConfigRequest*, inference::ModelConfigResponse*), (override));
  MOCK_METHOD(grpc::Status, ModelStatistics,
              (grpc::ServerContext*, const inference::ModelStatisticsRequest*, inference::ModelStatisticsResponse*),
              (override));
  MOCK_METHOD(grpc::Status, ModelInfer,
              (grpc::ServerContext*, const inference::ModelInferRequest*, inference::ModelInferResponse*), (override));
  MOCK_METHOD(grpc::Status, ModelStreamInfer, (grpc::ServerContext*, KServeStream*), (override));
};

// The sequence parameters of one request as the server read them.
struct SeenRequest {
  std::string id;
  std::int64_t sequence_id = 0;
  bool start = false, end = false;
  bool all_flags_sent = false;  // sequence_id int64, sequence_start and sequence_end bool, empty-final flag
  std::size_t stream = 0;       // which ModelStreamInfer call (0, 1, ...) or unary call carried it
};

class SequenceLedger {
 public:
  // Records one request; returns the rule it broke, or "" (the fake then answers it in error_message).
  std::string record(const inference::ModelInferRequest& request, std::size_t stream);
  std::size_t open_stream();  // a new stream's number

  std::vector<SeenRequest> requests() const;
  std::set<std::int64_t> live() const;               // started, not ended
  std::vector<std::size_t> ended_lengths() const;    // requests per ended sequence
  std::size_t max_live() const;
  std::vector<std::string> violations() const;
  std::size_t streams() const;
  // Sequence ids each stream carried.
  std::map<std::size_t, std::set<std::int64_t>> sequences_by_stream() const;

 private:
  mutable std::mutex mutex_;
  std::vector<SeenRequest> requests_;
  std::map<std::int64_t, std::size_t> live_;  // id -> requests so far
  std::vector<std::size_t> ended_;
  std::set<std::int64_t> ended_ids_;
  std::size_t max_live_ = 0, streams_ = 0;
  std::vector<std::string> violations_;
};

// A ModelStreamInfer handler: reads every request, records it in `ledger` and answers it with its id and a
// one-element BYTES output "TRANSCRIPT" ("seq <id> #<n>"). A request that breaks a sequence rule, or whose
// position (0-based, over the whole call) is in `fail_positions`, is answered with an error_message instead.
std::function<grpc::Status(grpc::ServerContext*, KServeStream*)> answer_sequences(
    SequenceLedger& ledger, std::set<std::size_t> fail_positions = {},
    std::string fail_message = "inference request for sequence 0 to model 'm' must specify the START flag on the "
                               "first request of the sequence");

}  // namespace voxperf::mocks
