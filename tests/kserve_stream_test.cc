// The kserve_stream pipeline without a real Triton: its sequence rules, codecs and checks as pure functions,
// and its clients against a gMock fake Triton whose ledger checks, as perf_analyzer's MockClientStats does,
// that sequence ids are live or ended, every request carries its flags, lengths stay within the variation,
// no sequence is left live at the end, and a per-request error fails that request only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "harness/load_driver.h"
#include "harness/pipelines/kserve_stream/error_class.h"
#include "harness/pipelines/kserve_stream/infer_request.h"
#include "harness/pipelines/kserve_stream/kserve_infer_client.h"
#include "harness/pipelines/kserve_stream/kserve_pipeline.h"
#include "harness/pipelines/kserve_stream/kserve_stream_client.h"
#include "harness/pipelines/kserve_stream/model_check.h"
#include "harness/pipelines/kserve_stream/sequence_plan.h"
#include "harness/pipelines/kserve_stream/server_statistics.h"
#include "harness/pipelines/kserve_stream/tensor_codec.h"
#include "harness/timer_queue.h"
#include "harness/window_metrics.h"
#include "mocks/fake_kserve_server.h"
#include "mocks/fake_riva_server.h"
#include "mocks/scripted_clock.h"
#include "record_builder.h"

namespace voxperf {
namespace {

using ::testing::_;
using ::testing::Return;

TEST(SequencePlan, LengthsStayWithinTheVariationAndCoverIt) {
  SequencePlan plan(50, 20.0, 7);
  std::size_t low = 1000, high = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::size_t n = plan.next_length();
    low = std::min(low, n);
    high = std::max(high, n);
  }
  EXPECT_EQ(low, 40u);
  EXPECT_EQ(high, 60u);
  SequencePlan fixed(5, 0.0, 7);
  EXPECT_EQ(fixed.next_length(), 5u);
  SequencePlan tiny(1, 100.0, 7);
  for (int i = 0; i < 100; ++i) EXPECT_GE(tiny.next_length(), 1u);  // never a sequence of 0
}

TEST(SequencePlan, FirstRequestStartsLastEndsOneRequestDoesBoth) {
  Sequence three(9, 3);
  const auto a = three.next(), b = three.next(), c = three.next();
  EXPECT_TRUE(a.start && !a.end);
  EXPECT_TRUE(!b.start && !b.end);
  EXPECT_TRUE(!c.start && c.end);
  EXPECT_EQ(c.position, 2u);
  EXPECT_FALSE(three.live());
  Sequence one(10, 1);
  const auto only = one.next();
  EXPECT_TRUE(only.start && only.end);
}

TEST(TensorCodec, AudioAndBytesRoundTrip) {
  const std::vector<std::int16_t> samples = {0, 1, -1, 32767, -32768, 1234};
  for (const char* type : {"FP32", "INT16"}) {
    const auto raw = encode_audio(samples, type);
    EXPECT_EQ(raw.size(), samples.size() * datatype_bytes(type));
    EXPECT_EQ(decode_audio(raw, type), samples) << type;
  }
  const auto bytes = encode_bytes_elements({"hello", "", "world"});
  EXPECT_EQ(bytes.size(), 3 * 4 + 10u);
  EXPECT_EQ(*decode_bytes_elements(bytes), (std::vector<std::string>{"hello", "", "world"}));
  EXPECT_FALSE(decode_bytes_elements(bytes.substr(0, 7)).has_value());  // a length past the end
}

TEST(KServeRequest, CarriesWhatPerfAnalyzerSends) {
  KServeStreamSettings settings;
  settings.model_name = "streaming_acoustic";
  const std::vector<std::int16_t> chunk(4800, 7);
  const auto request = infer_request(settings, "42", {17, true, false, 0}, chunk);
  EXPECT_EQ(request.id(), "42");
  const auto& p = request.parameters();
  EXPECT_EQ(p.at("sequence_id").int64_param(), 17);
  EXPECT_TRUE(p.at("sequence_start").bool_param());
  ASSERT_TRUE(p.count("sequence_end"));  // always both flags, even when false
  EXPECT_EQ(p.at("sequence_end").parameter_choice_case(), inference::InferParameter::kBoolParam);
  EXPECT_TRUE(p.at("triton_enable_empty_final_response").bool_param());
  ASSERT_EQ(request.inputs_size(), 1);
  EXPECT_EQ(std::vector<std::int64_t>(request.inputs(0).shape().begin(), request.inputs(0).shape().end()),
            (std::vector<std::int64_t>{1, 4800}));
  EXPECT_FALSE(request.inputs(0).has_contents());  // raw contents only
  ASSERT_EQ(request.raw_input_contents_size(), 1);
  EXPECT_EQ(request.raw_input_contents(0).size(), 4800u * 4);
}

TEST(KServeRequest, ChunksWalkThroughTheUtteranceAndWrap) {
  Utterance u;
  u.audio.sample_rate = 16000;
  u.audio.channels = 1;
  u.audio.samples = {1, 2, 3, 4, 5};
  const std::vector<Utterance> data = {u};
  EXPECT_EQ(sequence_chunk(data, 0, 0, 2), (std::vector<std::int16_t>{1, 2}));
  EXPECT_EQ(sequence_chunk(data, 0, 2, 2), (std::vector<std::int16_t>{5, 0}));  // padded with silence
  EXPECT_EQ(sequence_chunk(data, 3, 3, 2), (std::vector<std::int16_t>{1, 2}));  // wraps round
}

TEST(KServeResponse, FinalUnlessTheServerSaysOtherwise) {
  inference::ModelInferResponse response;
  auto* output = response.add_outputs();
  output->set_name("TRANSCRIPT");
  response.add_raw_output_contents(encode_bytes_elements({"hello world"}));
  bool final_response = false;
  auto event = response_event(response, "TRANSCRIPT", {}, final_response);
  EXPECT_TRUE(final_response);
  EXPECT_EQ(event.kind, ResponseKind::kFinal);
  EXPECT_EQ(event.text, "hello world");
  (*response.mutable_parameters())["triton_final_response"].set_bool_param(false);
  event = response_event(response, "TRANSCRIPT", {}, final_response);
  EXPECT_FALSE(final_response);
  EXPECT_EQ(event.kind, ResponseKind::kPartial);
  inference::ModelInferResponse empty_final;
  event = response_event(empty_final, "TRANSCRIPT", {}, final_response);
  EXPECT_TRUE(final_response);
  EXPECT_EQ(event.kind, ResponseKind::kEmpty);
}

TEST(KServeErrors, TritonMessagesFallIntoClasses) {
  EXPECT_EQ(kserve_error_class("inference request for sequence 7 to model 'm' must specify the START flag on the "
                               "first request of the sequence"),
            "kserve:sequence_not_started");
  EXPECT_EQ(kserve_error_class("inference request to model 'm' must specify a non-zero or non-empty correlation ID"),
            "kserve:no_sequence_id");
  EXPECT_EQ(kserve_error_class("unexpected shape for input 'AUDIO' for model 'm'. Expected [-1,-1], got [1]"),
            "kserve:shape");
  EXPECT_EQ(kserve_error_class("inference input 'AUDIO' data-type is 'INT16', but model 'm' expects 'FP32'"),
            "kserve:datatype");
  EXPECT_EQ(kserve_error_class("out of memory"), "kserve:other");
}

TEST(KServeModelCheck, NamesTheFieldThatDisagrees) {
  KServeStreamSettings settings;
  settings.model_name = "m";
  inference::ModelMetadataResponse metadata;
  auto* input = metadata.add_inputs();
  input->set_name("AUDIO");
  input->set_datatype("FP32");
  input->add_shape(-1);
  input->add_shape(-1);
  auto* output = metadata.add_outputs();
  output->set_name("TRANSCRIPT");
  output->set_datatype("BYTES");
  EXPECT_EQ(check_model(settings, metadata), "");

  input->set_datatype("INT16");
  EXPECT_EQ(check_model(settings, metadata), "input.datatype: FP32 here, but model 'm' takes INT16 (ModelMetadata)");
  input->set_datatype("FP32");
  input->set_shape(1, 1600);
  EXPECT_NE(check_model(settings, metadata).find("input.shape: [1,-1] here ([1,4800] sent) does not fit [-1,1600]"),
            std::string::npos);
  input->set_shape(1, -1);
  input->set_name("FEATURES");
  EXPECT_EQ(check_model(settings, metadata), "input.name: model 'm' has no input 'AUDIO' (it has: FEATURES)");
  input->set_name("AUDIO");
  output->set_name("LOGITS");
  EXPECT_EQ(check_model(settings, metadata), "output.name: model 'm' has no output 'TRANSCRIPT' (it has: LOGITS)");
}

TEST(KServeServerStatistics, DifferencesCumulativeCounters) {
  auto stats = [](std::uint64_t n, std::uint64_t request_ns, std::uint64_t queue_ns, std::uint64_t infer_ns) {
    inference::ModelStatistics s;
    auto* i = s.mutable_inference_stats();
    i->mutable_success()->set_count(n);
    i->mutable_success()->set_ns(request_ns);
    i->mutable_queue()->set_count(n);
    i->mutable_queue()->set_ns(queue_ns);
    i->mutable_compute_infer()->set_count(n);
    i->mutable_compute_infer()->set_ns(infer_ns);
    return s;
  };
  // 10 requests in the window: 50 ms each, 20 ms queued, 25 ms inferring.
  const auto figures = server_breakdown(stats(100, 1'000'000'000, 0, 900'000'000),
                                        stats(110, 1'500'000'000, 200'000'000, 1'150'000'000));
  EXPECT_DOUBLE_EQ(figures.at("server_requests"), 10);
  EXPECT_DOUBLE_EQ(figures.at("server_request_ms"), 50);
  EXPECT_DOUBLE_EQ(figures.at("server_queue_ms"), 20);
  EXPECT_DOUBLE_EQ(figures.at("server_compute_infer_ms"), 25);
  EXPECT_DOUBLE_EQ(figures.at("server_compute_ms"), 25);
  EXPECT_DOUBLE_EQ(figures.at("server_overhead_ms"), 5);
  // Nothing served in the window: no figures, not zeros.
  EXPECT_EQ(server_breakdown(stats(5, 10, 0, 5), stats(5, 10, 0, 5)).count("server_queue_ms"), 0u);
}

TEST(KServeCounters, SpsIsInferencesTimesChunkSecondsAndSequencesCountEnds) {
  using testing::RecordBuilder;
  std::vector<RequestRecord> records;
  for (int i = 0; i < 10; ++i) {  // 10 chunks of 0.3 s, answered 40 ms after sending, over 2 s
    auto r = RecordBuilder().sent(200.0 * i).audio_in(0.3, "").final(200.0 * i + 40, "x").ended(200.0 * i + 40).build();
    r.ends_sequence = i % 5 == 4;  // two sequences of 5
    records.push_back(r);
  }
  {  // one request refused in-band
    auto r = RecordBuilder().sent(1900).ended(1950, 2, "inference request for sequence 3 to model 'm' must specify the START flag").build();
    r.status.error_class = kserve_error_class(r.status.message);
    records.push_back(r);
  }
  const auto m = summarize_window(records, {testing::at_ms(0), testing::at_ms(2000), LoadModel::kClosedLoop});
  KServeStreamPipeline pipeline;
  std::map<std::string, double> counters;
  for (const auto& spec : pipeline.counters("stream")) counters[spec.name] = spec.value(m);
  EXPECT_DOUBLE_EQ(counters.at("inferences_per_s"), 5.0);
  EXPECT_DOUBLE_EQ(counters.at("sps"), 5.0 * 0.3);
  EXPECT_DOUBLE_EQ(counters.at("sequences_per_s"), 1.0);
  EXPECT_DOUBLE_EQ(counters.at("errors_sequence_not_started"), 1.0);
  EXPECT_DOUBLE_EQ(counters.at("errors_shape"), 0.0);
  EXPECT_TRUE(std::isnan(counters.at("server_queue_ms")));  // nobody asked the server: n/a
  EXPECT_DOUBLE_EQ(m.latency.mean_ms(), 40.0);
}

// The clients against the fake Triton.
class KServeClients : public ::testing::Test {
 protected:
  KServeClients() {
    settings_.model_name = "m";
    settings_.sequence_length = 6;
    settings_.sequence_length_variation = 50.0;  // lengths 3..9
    Utterance u;
    u.id = "u0";
    u.audio.sample_rate = 16000;
    u.audio.channels = 1;
    u.audio.samples.assign(16000, 100);
    utterances_ = {u};
  }

  KServeStreamSettings settings_;
  std::vector<Utterance> utterances_;
  std::atomic<std::int64_t> next_id_{1};
  ThreadTimerQueue timers_;
};

TEST_F(KServeClients, ClosedLoopOneSequencePerSlotAndNoneLeftLive) {
  mocks::MockKServe triton;
  mocks::SequenceLedger ledger;
  EXPECT_CALL(triton, ModelStreamInfer).Times(3).WillRepeatedly(mocks::answer_sequences(ledger));
  mocks::FakeServer server({&triton});
  ChannelPool channels(server.endpoint(2));
  LoadResult result;
  std::size_t streams = 0;
  {
    KServeStreamClient client(channels, settings_, utterances_, {LoadModel::kClosedLoop, 3, 0.0}, next_id_, {});
    LoadDriver driver(client, timers_);
    LoadSpec spec;
    spec.concurrency = 3;
    spec.requests = 60;
    result = driver.run(spec);
    streams = client.streams_opened();
  }  // the client ends its live sequences
  EXPECT_EQ(streams, 3u);
  EXPECT_TRUE(ledger.violations().empty()) << ledger.violations().front();
  EXPECT_TRUE(ledger.live().empty()) << ledger.live().size() << " sequences left live";
  EXPECT_LE(ledger.max_live(), 3u);
  for (const auto& r : ledger.requests()) EXPECT_TRUE(r.all_flags_sent) << r.id;
  std::size_t ended_in_window = 0;
  for (const auto& r : result.records) {
    EXPECT_TRUE(r.ok()) << r.status.message;
    ended_in_window += r.ends_sequence;
  }
  // Lengths within 6 +- 50 %, except sequences cut short at the close.
  const auto lengths = ledger.ended_lengths();
  std::size_t full = 0;
  for (std::size_t n : lengths) {
    EXPECT_LE(n, 9u);
    full += n >= 3;
  }
  EXPECT_GE(full, ended_in_window);
  // A stream carries sequence after sequence; a sequence never moves between streams.
  std::map<std::int64_t, std::size_t> stream_of;
  for (const auto& r : ledger.requests()) {
    auto [it, first] = stream_of.emplace(r.sequence_id, r.stream);
    EXPECT_EQ(it->second, r.stream) << "sequence " << r.sequence_id;
  }
}

TEST_F(KServeClients, CountersEqualWhatTheServerScripted) {
  // The fake answers request i after 10, 20, 30, 40 ms (repeating), moving the client's clock itself, in
  // lockstep with the client (concurrency 1), so every figure is exact however busy the machine is.
  mocks::ScriptedClock clock;
  mocks::MockKServe triton;
  const std::vector<int> delays_ms = {10, 20, 30, 40};
  EXPECT_CALL(triton, ModelStreamInfer).WillOnce([&](grpc::ServerContext*, mocks::KServeStream* stream) {
    inference::ModelInferRequest request;
    for (std::size_t i = 0; stream->Read(&request); ++i) {
      inference::ModelStreamInferResponse response;
      response.mutable_infer_response()->set_id(request.id());
      const auto mark = clock.advance(std::chrono::milliseconds(delays_ms[i % delays_ms.size()]));
      if (!stream->Write(response)) break;
      clock.wait_for_read(mark);
    }
    return grpc::Status::OK;
  });
  mocks::FakeServer server({&triton});
  ChannelPool channels(server.endpoint());
  settings_.sequence_length = 4;
  settings_.sequence_length_variation = 0;
  LoadResult result;
  {
    KServeStreamClient client(channels, settings_, utterances_, {LoadModel::kClosedLoop, 1, 0.0}, next_id_, {}, clock);
    LoadDriver driver(client, timers_, clock);
    LoadSpec spec;
    spec.requests = 8;
    result = driver.run(spec);
  }
  const auto m = summarize_window(result.records, result.window);
  KServeStreamPipeline pipeline;
  std::map<std::string, double> counters;
  for (const auto& spec : pipeline.counters("stream")) counters[spec.name] = spec.value(m);
  EXPECT_DOUBLE_EQ(m.window_seconds, 0.2);            // 2 x (10 + 20 + 30 + 40) ms
  EXPECT_DOUBLE_EQ(m.latency.mean_ms(), 25.0);
  EXPECT_DOUBLE_EQ(m.latency.percentile_ms(50), 25.0);  // between 20 and 30
  EXPECT_DOUBLE_EQ(counters.at("inferences_per_s"), 40.0);
  EXPECT_NEAR(counters.at("sps"), 40.0 * 0.3, 1e-9);  // 300 ms chunks
  EXPECT_DOUBLE_EQ(counters.at("sequences_per_s"), 10.0);  // two sequences of 4 ended
  EXPECT_DOUBLE_EQ(counters.at("errors_other"), 0.0);
}

TEST_F(KServeClients, PerRequestErrorFailsThatRequestAndTheStreamGoesOn) {
  mocks::MockKServe triton;
  mocks::SequenceLedger ledger;
  EXPECT_CALL(triton, ModelStreamInfer).Times(1).WillOnce(mocks::answer_sequences(ledger, {4}));
  mocks::FakeServer server({&triton});
  ChannelPool channels(server.endpoint());
  LoadResult result;
  {
    KServeStreamClient client(channels, settings_, utterances_, {LoadModel::kClosedLoop, 1, 0.0}, next_id_, {});
    LoadDriver driver(client, timers_);
    LoadSpec spec;
    spec.requests = 10;
    result = driver.run(spec);
  }
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 9u);
  EXPECT_EQ(m.failed, 1u);
  EXPECT_EQ(m.errors_by_status.at("kserve:sequence_not_started"), 1u);
  EXPECT_FALSE(result.records[4].ok());
  EXPECT_TRUE(result.records[5].ok());
}

TEST_F(KServeClients, OpenLoopSpreadsOverNumSequences) {
  mocks::MockKServe triton;
  mocks::SequenceLedger ledger;
  EXPECT_CALL(triton, ModelStreamInfer).Times(2).WillRepeatedly(mocks::answer_sequences(ledger));
  mocks::FakeServer server({&triton});
  ChannelPool channels(server.endpoint());
  settings_.num_sequences = 2;
  {
    KServeStreamClient client(channels, settings_, utterances_, {LoadModel::kOpenLoop, 1, 200.0}, next_id_, {});
    LoadDriver driver(client, timers_);
    LoadSpec spec;
    spec.model = LoadModel::kOpenLoop;
    spec.rate = 200.0;
    spec.arrivals = ArrivalProcess::kConstant;
    spec.requests = 40;
    const auto result = driver.run(spec);
    for (const auto& r : result.records) EXPECT_TRUE(r.ok()) << r.status.message;
  }
  EXPECT_EQ(ledger.streams(), 2u);
  EXPECT_LE(ledger.max_live(), 2u);
  EXPECT_TRUE(ledger.violations().empty());
  EXPECT_TRUE(ledger.live().empty());
}

TEST_F(KServeClients, UnaryInferKeepsTheSameSequenceRules) {
  mocks::MockKServe triton;
  mocks::SequenceLedger ledger;
  EXPECT_CALL(triton, ModelInfer).WillRepeatedly([&](auto*, const inference::ModelInferRequest* request,
                                                     inference::ModelInferResponse* response) {
    const std::string broken = ledger.record(*request, 0);
    if (!broken.empty()) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, broken);
    response->set_id(request->id());
    return grpc::Status::OK;
  });
  mocks::FakeServer server({&triton});
  ChannelPool channels(server.endpoint());
  {
    KServeInferClient client(channels, settings_, utterances_, {LoadModel::kClosedLoop, 2, 0.0}, next_id_, {});
    LoadDriver driver(client, timers_);
    LoadSpec spec;
    spec.concurrency = 2;
    spec.requests = 30;
    const auto result = driver.run(spec);
    for (const auto& r : result.records) EXPECT_TRUE(r.ok()) << r.status.message;
  }
  EXPECT_TRUE(ledger.violations().empty());
  EXPECT_TRUE(ledger.live().empty());
  EXPECT_LE(ledger.max_live(), 2u);
}

}  // namespace
}  // namespace voxperf
