// The reference server's KServe v2 service and its model streaming_acoustic, over real gRPC with real
// pocketsphinx: metadata and config, sequences decoded chunk by chunk, statistics that count what was served,
// and bad requests answered with Triton's texts, in error_message on a stream that stays open.
#include <gtest/gtest.h>

#include <mutex>
#include <condition_variable>
#include <deque>

#include "harness/manifest.h"
#include "harness/pipelines/kserve_stream/tensor_codec.h"
#include "kserve/grpc_service.grpc.pb.h"
#include "mocks/scripted_clock.h"
#include "refserver_support.h"
#include "server/acoustic_model.h"

namespace voxperf {
namespace {

using inference::GRPCInferenceService;
using inference::ModelInferRequest;
using inference::ModelStreamInferResponse;
using testing::context_with_deadline;
using testing::dial;

constexpr std::size_t kChunk = 4800;  // 300 ms at 16 kHz

std::vector<std::int16_t> speech() {
  static const auto utterances = load_utterances(testing::kLibrivoxManifest);
  return utterances.front().audio.samples;
}

ModelInferRequest chunk_request(std::int64_t sequence, bool start, bool end, std::size_t position,
                                const std::string& id) {
  const auto samples = speech();
  ModelInferRequest request;
  request.set_model_name("streaming_acoustic");
  request.set_id(id);
  auto& parameters = *request.mutable_parameters();
  parameters["sequence_id"].set_int64_param(sequence);
  parameters["sequence_start"].set_bool_param(start);
  parameters["sequence_end"].set_bool_param(end);
  auto* input = request.add_inputs();
  input->set_name("AUDIO");
  input->set_datatype("FP32");
  input->add_shape(1);
  input->add_shape(kChunk);
  const std::size_t begin = std::min(samples.size() - kChunk, position * kChunk);
  request.add_raw_input_contents(
      encode_audio(std::span(samples).subspan(begin, kChunk), "FP32"));
  return request;
}

std::string transcript(const inference::ModelInferResponse& response) {
  if (response.raw_output_contents_size() != 1) return "<no output>";
  auto elements = decode_bytes_elements(response.raw_output_contents(0));
  return elements && elements->size() == 1 ? elements->front() : "<bad BYTES>";
}

// A blocking ModelStreamInfer: write one request, read its answer.
class Stream {
 public:
  explicit Stream(GRPCInferenceService::Stub& stub) : context_(context_with_deadline()), stream_(stub.ModelStreamInfer(context_.get())) {}
  ModelStreamInferResponse ask(const ModelInferRequest& request) {
    EXPECT_TRUE(stream_->Write(request));
    ModelStreamInferResponse response;
    EXPECT_TRUE(stream_->Read(&response));
    return response;
  }
  grpc::Status close() {
    stream_->WritesDone();
    ModelStreamInferResponse extra;
    EXPECT_FALSE(stream_->Read(&extra)) << "an answer nobody asked for";
    return stream_->Finish();
  }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReaderWriter<ModelInferRequest, ModelStreamInferResponse>> stream_;
};

class RefServerKServe : public ::testing::Test {
 protected:
  RefServerKServe() {
    refserver::RefServerOptions options;
    options.workers = 2;
    options.clock = &clock_;
    options.kserve_sequence_idle = std::chrono::seconds(5);
    server_ = std::make_unique<refserver::RefServer>(options);
    stub_ = GRPCInferenceService::NewStub(dial(*server_));
  }
  inference::ModelStatistics statistics() {
    inference::ModelStatisticsRequest request;
    request.set_name("streaming_acoustic");
    inference::ModelStatisticsResponse response;
    EXPECT_TRUE(stub_->ModelStatistics(context_with_deadline().get(), request, &response).ok());
    return response.model_stats_size() == 1 ? response.model_stats(0) : inference::ModelStatistics{};
  }

  mocks::ScriptedClock clock_;
  std::unique_ptr<refserver::RefServer> server_;
  std::unique_ptr<GRPCInferenceService::Stub> stub_;
};

TEST_F(RefServerKServe, DescribesItsModel) {
  inference::ServerLiveResponse live;
  ASSERT_TRUE(stub_->ServerLive(context_with_deadline().get(), {}, &live).ok());
  EXPECT_TRUE(live.live());
  inference::ModelReadyRequest ready_request;
  ready_request.set_name("streaming_acoustic");
  inference::ModelReadyResponse ready;
  ASSERT_TRUE(stub_->ModelReady(context_with_deadline().get(), ready_request, &ready).ok());
  EXPECT_TRUE(ready.ready());

  inference::ModelMetadataRequest request;
  request.set_name("streaming_acoustic");
  inference::ModelMetadataResponse metadata;
  ASSERT_TRUE(stub_->ModelMetadata(context_with_deadline().get(), request, &metadata).ok());
  ASSERT_EQ(metadata.inputs_size(), 1);
  EXPECT_EQ(metadata.inputs(0).name(), "AUDIO");
  EXPECT_EQ(metadata.inputs(0).datatype(), "FP32");
  EXPECT_EQ(metadata.outputs(0).datatype(), "BYTES");

  inference::ModelConfigRequest config_request;
  config_request.set_name("streaming_acoustic");
  inference::ModelConfigResponse config;
  ASSERT_TRUE(stub_->ModelConfig(context_with_deadline().get(), config_request, &config).ok());
  EXPECT_TRUE(config.config().has_sequence_batching());
  EXPECT_EQ(config.config().sequence_batching().max_sequence_idle_microseconds(), 5'000'000u);
  EXPECT_EQ(config.config().max_batch_size(), 16);  // the default profile

  request.set_name("no_such_model");
  const grpc::Status unknown = stub_->ModelMetadata(context_with_deadline().get(), request, &metadata);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(unknown.error_message(), "Request for unknown model: 'no_such_model' is not found");
}

TEST_F(RefServerKServe, DecodesASequenceChunkByChunkAndCountsIt) {
  const auto before = statistics();
  Stream stream(*stub_);
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < 6; ++i) {
    const auto response = stream.ask(chunk_request(42, i == 0, i == 5, i, "r" + std::to_string(i)));
    ASSERT_EQ(response.error_message(), "") << "request " << i;
    EXPECT_EQ(response.infer_response().id(), "r" + std::to_string(i));
    texts.push_back(transcript(response.infer_response()));
  }
  EXPECT_TRUE(stream.close().ok());
  // 1.8 s of "and mister john dashwood ...": the final transcript has words of it.
  EXPECT_NE(texts.back().find("john"), std::string::npos) << texts.back();
  EXPECT_EQ(server_->acoustic_model().live_sequences(), 0u);  // sequence_end freed it

  const auto after = statistics();
  EXPECT_EQ(after.inference_count() - before.inference_count(), 6u);
  EXPECT_EQ(after.inference_stats().success().count() - before.inference_stats().success().count(), 6u);
  EXPECT_EQ(after.inference_stats().compute_infer().count() - before.inference_stats().compute_infer().count(), 6u);
  // Durations are read from the server's clock, which this fixture holds still: they are checked where time
  // runs (the sweep's Server Queue and Server Compute columns), not here.
}

TEST_F(RefServerKServe, RefusesBadRequestsInBandAndTheStreamGoesOn) {
  Stream stream(*stub_);
  auto no_id = chunk_request(0, true, false, 0, "a");
  EXPECT_EQ(stream.ask(no_id).error_message(),
            "inference request to model 'streaming_acoustic' must specify a non-zero or non-empty correlation ID");

  EXPECT_EQ(stream.ask(chunk_request(7, false, false, 1, "b")).error_message(),
            "inference request for sequence 7 to model 'streaming_acoustic' must specify the START flag on the "
            "first request of the sequence");

  auto wrong_type = chunk_request(8, true, false, 0, "c");
  wrong_type.mutable_inputs(0)->set_datatype("INT16");
  EXPECT_EQ(stream.ask(wrong_type).error_message(),
            "inference input 'AUDIO' data-type is 'INT16', but model 'streaming_acoustic' expects 'FP32'");

  auto wrong_shape = chunk_request(8, true, false, 0, "d");
  wrong_shape.mutable_inputs(0)->add_shape(2);
  EXPECT_EQ(stream.ask(wrong_shape).error_message(),
            "unexpected shape for input 'AUDIO' for model 'streaming_acoustic'. Expected [-1,-1], got [1,4800,2]");

  auto short_bytes = chunk_request(8, true, false, 0, "e");
  short_bytes.mutable_raw_input_contents(0)->resize(100);
  EXPECT_EQ(stream.ask(short_bytes).error_message(),
            "unexpected total byte size 100 for input 'AUDIO', expecting 19200");

  auto wrong_flag = chunk_request(8, true, false, 0, "f");
  (*wrong_flag.mutable_parameters())["sequence_start"].set_int64_param(1);
  EXPECT_EQ(stream.ask(wrong_flag).error_message(),
            "invalid value type for 'sequence_start' parameter, expected bool_param.");

  auto other_model = chunk_request(8, true, false, 0, "g");
  other_model.set_model_name("nope");
  const auto unknown = stream.ask(other_model);
  EXPECT_EQ(unknown.error_message(), "Request for unknown model: 'nope' is not found");
  EXPECT_EQ(unknown.infer_response().id(), "g");

  // After all that, the same stream serves a good one-request sequence.
  const auto good = stream.ask(chunk_request(9, true, true, 0, "h"));
  EXPECT_EQ(good.error_message(), "");
  EXPECT_EQ(good.infer_response().id(), "h");
  EXPECT_TRUE(stream.close().ok());

  const auto stats = statistics();
  EXPECT_EQ(stats.inference_stats().fail().count(), 6u);  // the unknown model is refused before the model
  EXPECT_EQ(stats.inference_stats().success().count(), 1u);
}

TEST_F(RefServerKServe, ReleasesASequenceIdleTooLong) {
  Stream stream(*stub_);
  ASSERT_EQ(stream.ask(chunk_request(5, true, false, 0, "a")).error_message(), "");
  EXPECT_EQ(server_->acoustic_model().live_sequences(), 1u);
  clock_.advance(std::chrono::seconds(4));  // within max_sequence_idle: still live
  ASSERT_EQ(stream.ask(chunk_request(5, false, false, 1, "b")).error_message(), "");
  clock_.advance(std::chrono::seconds(6));  // past it
  EXPECT_EQ(stream.ask(chunk_request(5, false, false, 2, "c")).error_message(),
            "inference request for sequence 5 to model 'streaming_acoustic' must specify the START flag on the "
            "first request of the sequence");
  EXPECT_EQ(server_->acoustic_model().live_sequences(), 0u);
  EXPECT_TRUE(stream.close().ok());
}

TEST_F(RefServerKServe, UnaryInferReportsErrorsAsStatus) {
  inference::ModelInferResponse response;
  auto request = chunk_request(11, true, true, 0, "u1");
  ASSERT_TRUE(stub_->ModelInfer(context_with_deadline().get(), request, &response).ok());
  EXPECT_EQ(response.id(), "u1");
  EXPECT_EQ(response.outputs(0).name(), "TRANSCRIPT");
  const grpc::Status refused = stub_->ModelInfer(context_with_deadline().get(), chunk_request(12, false, false, 1, "u2"), &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("must specify the START flag"), std::string::npos);
}

}  // namespace
}  // namespace voxperf
