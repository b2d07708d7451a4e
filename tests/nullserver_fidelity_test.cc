// voxperf against voxperf-nullserver (label refserver): what voxperf measures must be what the null server
// scripted, over real gRPC and HTTP: a response never before its delay, the median within a generous bound of
// it, every paced chunk's lag recorded, the final transcript and token counts as sent, Triton's statistics
// counting what was answered. The bounds are wide on
// purpose (a loaded 2-core CI machine); the tight figures come from tools/harness-capacity (README).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "harness/http/http_transport.h"
#include "harness/load_driver.h"
#include "harness/pipelines/kserve_stream/kserve_stream_client.h"
#include "harness/pipelines/kserve_stream/server_statistics.h"
#include "harness/pipelines/openai_chat/openai_client.h"
#include "harness/request_metrics.h"
#include "harness/pipelines/riva_asr/asr_offline_client.h"
#include "harness/pipelines/riva_asr/asr_stream_client.h"
#include "harness/pipelines/riva_tts/tts_batch_client.h"
#include "harness/window_metrics.h"
#include "server/null/null_kserve.h"
#include "server/null/null_openai.h"
#include "server/null/null_riva.h"
#include "server/null/null_server.h"
#include "tests/subprocess.h"

namespace voxperf {
namespace {

using namespace std::chrono_literals;
using nullserver::DelayModel;

constexpr double kFirstMs = 20.0;  // the script's first delay
constexpr double kLaterMs = 5.0;   // and each later one
constexpr double kSlackMs = 50.0;  // how far above the script a median may be on a busy CI machine

// One second of silence: the null services never look at the audio.
std::vector<Utterance> one_silent_utterance() {
  Utterance utterance;
  utterance.id = "silence";
  utterance.text = "null";
  utterance.audio.sample_rate = 16000;
  utterance.audio.channels = 1;
  utterance.audio.samples.assign(16000, 0);
  return {utterance};
}

std::optional<inference::ModelStatistics> null_model_statistics(ChannelPool& pool) {
  auto stub = inference::GRPCInferenceService::NewStub(pool.channel(0));
  grpc::ClientContext context;
  inference::ModelStatisticsRequest request;
  request.set_name(nullserver::NullKServeService::kModelName);
  inference::ModelStatisticsResponse response;
  if (!stub->ModelStatistics(&context, request, &response).ok() || response.model_stats_size() != 1) {
    return std::nullopt;
  }
  return response.model_stats(0);
}

ChannelPool channels_of(const nullserver::NullServer& server) {
  Endpoint endpoint;
  endpoint.address = server.address();
  endpoint.channels = 2;
  return ChannelPool(endpoint);
}

LoadResult drive(RequestClient& client, TimerQueue& timers, std::size_t concurrency, std::size_t requests,
                 Nanos ramp = Nanos::zero()) {
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.concurrency = concurrency;
  spec.requests = requests;
  spec.ramp = ramp;
  return driver.run(spec);
}

class NullServerFidelity : public ::testing::Test {
 protected:
  static nullserver::NullServerOptions options() {
    nullserver::NullServerOptions o;
    o.first_delay = DelayModel::parse(std::to_string(kFirstMs), "--first-delay");
    o.later_delay = DelayModel::parse(std::to_string(kLaterMs), "--later-delay");
    o.llm_tokens = 4;
    return o;
  }
  ChannelPool channels() { return channels_of(server_); }
  static WindowMetrics run(RequestClient& client, TimerQueue& timers, std::size_t concurrency, std::size_t requests,
                           Nanos ramp = Nanos::zero()) {
    const auto result = drive(client, timers, concurrency, requests, ramp);
    auto m = summarize_window(result.records, result.window);
    EXPECT_EQ(m.completed, requests) << (m.errors_by_status.empty() ? "" : m.errors_by_status.begin()->first);
    return m;
  }

  nullserver::NullServer server_{options()};
  ThreadTimerQueue timers_;
};

TEST_F(NullServerFidelity, UnaryTtsLatencyIsTheScriptedDelay) {
  auto pool = channels();
  const std::vector<Prompt> prompts = {{"p0", "a short prompt"}, {"p1", "another one, a little longer"}};
  RivaTtsBatchClient client(pool, prompts, TtsSettings{});
  const auto m = run(client, timers_, 8, 64);
  EXPECT_GE(m.latency.min_ms(), kFirstMs) << "an answer came before its scripted delay";
  EXPECT_LE(m.latency.percentile_ms(50), kFirstMs + kSlackMs);
  // Silent audio of the script's speaking rate: 0.065 s per character.
  EXPECT_GT(m.rtfx, 0.0);
}

// 32 paced streams of 1 s (7 chunks of 160 ms), 16 at a time, with interim results.
void expect_paced_asr_streams_as_scripted(ChannelPool& pool, TimerQueue& timers) {
  const auto utterances = one_silent_utterance();
  AsrSettings settings;
  settings.interim_results = true;
  RivaAsrStreamClient client(pool, utterances, settings, timers);
  const auto result = drive(client, timers, 16, 32, 160ms);
  const auto m = summarize_window(result.records, result.window);
  ASSERT_EQ(m.completed, 32u);
  for (const auto& r : result.records) {
    EXPECT_EQ(r.chunks_sent, 7u);
    EXPECT_EQ(r.chunk_lag_us.size(), 6u) << "every chunk after the first is paced";
    EXPECT_EQ(final_transcript(r), nullserver::NullAsrService::kTranscript);
  }
  EXPECT_EQ(m.chunk_lag.count(), 32u * 6);
  EXPECT_DOUBLE_EQ(m.chunk_period_ms, 160.0);
  EXPECT_LE(m.chunk_lag.percentile_ms(99), 80.0) << "half a chunk late at 16 streams";
  EXPECT_GE(m.server_tail.min_ms(), kFirstMs) << "a final came before its scripted delay";
  EXPECT_LE(m.server_tail.percentile_ms(50), kFirstMs + kSlackMs);
  EXPECT_EQ(m.word_errors.rate(), 0.0);
  EXPECT_GT(m.first_partial.count(), 0u) << "interim results were asked for";
}

// Riva Recognize: every answer after its delay, with the transcript and the audio's length.
void expect_offline_asr_as_scripted(ChannelPool& pool, TimerQueue& timers) {
  const auto utterances = one_silent_utterance();
  RivaAsrOfflineClient client(pool, utterances, AsrSettings{});
  const auto result = drive(client, timers, 8, 64);
  const auto m = summarize_window(result.records, result.window);
  ASSERT_EQ(m.completed, 64u) << (m.errors_by_status.empty() ? "" : m.errors_by_status.begin()->first);
  for (const auto& r : result.records) {
    EXPECT_EQ(final_transcript(r), nullserver::NullAsrService::kTranscript);
    ASSERT_FALSE(r.responses.empty());
    EXPECT_DOUBLE_EQ(r.responses.back().audio_seconds, 1.0) << "the audio_processed of 1 s of 16 kHz audio";
  }
  EXPECT_GE(m.latency.min_ms(), kFirstMs) << "an answer came before its scripted delay";
  EXPECT_LE(m.latency.percentile_ms(50), kFirstMs + kSlackMs);
}

TEST_F(NullServerFidelity, PacedAsrStreamsRecordEveryChunksLagAndTheScriptedTail) {
  auto pool = channels();
  expect_paced_asr_streams_as_scripted(pool, timers_);
}

TEST_F(NullServerFidelity, OfflineAsrLatencyIsTheScriptedDelay) {
  auto pool = channels();
  expect_offline_asr_as_scripted(pool, timers_);
}

// The lean server (--grpc-server nghttp2) must answer voxperf's real gRPC clients as gRPC C++ does.
class NullServerOnNghttp2 : public NullServerFidelity {
 protected:
  static nullserver::NullServerOptions lean(std::size_t max_message_bytes = 64u << 20) {
    auto o = options();
    o.grpc_server = nullserver::GrpcServer::kNghttp2;
    o.max_message_bytes = max_message_bytes;
    return o;
  }
};

TEST_F(NullServerOnNghttp2, AnswersPacedStreamsAndRecognizeAsScripted) {
  nullserver::NullServer server(lean());
  auto pool = channels_of(server);
  expect_paced_asr_streams_as_scripted(pool, timers_);
  expect_offline_asr_as_scripted(pool, timers_);
}

TEST_F(NullServerOnNghttp2, ListsTheModelsAndRefusesWhatItDoesNotServe) {
  nullserver::NullServer server(lean(1000));
  auto pool = channels_of(server);
  auto asr = nvidia::riva::asr::RivaSpeechRecognition::NewStub(pool.channel(0));
  {
    grpc::ClientContext context;
    nvidia::riva::asr::RivaSpeechRecognitionConfigRequest request;
    nvidia::riva::asr::RivaSpeechRecognitionConfigResponse response;
    ASSERT_TRUE(asr->GetRivaSpeechRecognitionConfig(&context, request, &response).ok());
    ASSERT_EQ(response.model_config_size(), 2);
    EXPECT_EQ(response.model_config(0).parameters().at("first_delay"), "fixed:20");
  }
  {
    // 1 s of audio is 32,000 bytes, over this server's limit of 1,000.
    grpc::ClientContext context;
    nvidia::riva::asr::RecognizeRequest request;
    request.set_audio(std::string(32000, '\0'));
    nvidia::riva::asr::RecognizeResponse response;
    const auto status = asr->Recognize(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("over the limit of 1000"), std::string::npos) << status.error_message();
  }
  {
    // A deadline shorter than the script: the client gives up; the server goes on.
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5ms);
    nvidia::riva::asr::RecognizeRequest request;
    request.set_audio(std::string(320, '\0'));
    nvidia::riva::asr::RecognizeResponse response;
    EXPECT_EQ(asr->Recognize(&context, request, &response).error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    nvidia::riva::asr::RecognizeRequest request;
    request.set_audio(std::string(320, '\0'));
    request.mutable_config()->set_sample_rate_hertz(16000);
    nvidia::riva::asr::RecognizeResponse response;
    ASSERT_TRUE(asr->Recognize(&context, request, &response).ok());
    ASSERT_EQ(response.results_size(), 1);
    EXPECT_FLOAT_EQ(response.results(0).audio_processed(), 0.01f);
  }
  auto tts = nvidia::riva::tts::RivaSpeechSynthesis::NewStub(pool.channel(0));
  grpc::ClientContext context;
  nvidia::riva::tts::SynthesizeSpeechRequest request;
  nvidia::riva::tts::SynthesizeSpeechResponse response;
  const auto status = tts->Synthesize(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(status.error_message().find("serves Riva ASR only, not /nvidia.riva.tts.RivaSpeechSynthesis/Synthesize"),
            std::string::npos)
      << status.error_message();
}

TEST_F(NullServerFidelity, KServeStreamLatencyIsTheScriptedDelayAndTritonStatisticsCountIt) {
  auto pool = channels();
  const auto utterances = one_silent_utterance();
  KServeStreamSettings settings;
  settings.model_name = nullserver::NullKServeService::kModelName;
  std::atomic<std::int64_t> next_id{1};
  KServeStreamClient client(pool, settings, utterances, {LoadModel::kClosedLoop, 8, 0.0}, next_id, {});
  const auto before = null_model_statistics(pool);
  ASSERT_TRUE(before.has_value()) << "ModelStatistics of " << nullserver::NullKServeService::kModelName;
  const auto result = drive(client, timers_, 8, 64);
  const auto m = summarize_window(result.records, result.window);
  ASSERT_EQ(m.completed, 64u) << (m.errors_by_status.empty() ? "" : m.errors_by_status.begin()->first);
  for (const auto& r : result.records) {
    ASSERT_FALSE(r.responses.empty());
    EXPECT_EQ(r.responses.back().text, nullserver::NullKServeService::kTranscript);
  }
  EXPECT_GE(m.latency.min_ms(), kFirstMs) << "an answer came before its scripted delay";
  EXPECT_LE(m.latency.percentile_ms(50), kFirstMs + kSlackMs);
  const auto after = null_model_statistics(pool);
  ASSERT_TRUE(after.has_value());
  const auto figures = server_breakdown(*before, *after);
  EXPECT_EQ(figures.at("server_requests"), 64.0) << "every request answered in the window, and no other";
  EXPECT_NEAR(figures.at("server_compute_infer_ms"), kFirstMs, 1e-6) << "the scripted delay";
  EXPECT_GE(figures.at("server_request_ms"), kFirstMs);
}

TEST_F(NullServerFidelity, KServeStreamRefusesAnotherModelInBandAndGoesOn) {
  auto pool = channels();
  const auto utterances = one_silent_utterance();
  KServeStreamSettings settings;
  settings.model_name = "streaming_acoustic";
  std::atomic<std::int64_t> next_id{1};
  KServeStreamClient client(pool, settings, utterances, {LoadModel::kClosedLoop, 2, 0.0}, next_id, {});
  const auto result = drive(client, timers_, 2, 6);
  for (const auto& r : result.records) {
    EXPECT_EQ(r.status.message, "Request for unknown model: 'streaming_acoustic' is not found");
  }
  EXPECT_EQ(client.streams_opened(), 2u) << "an in-band error leaves the stream open";
}

TEST_F(NullServerFidelity, SseTimeToFirstTokenAndInterTokenLatencyAreTheScript) {
  HttpSettings http;
  http.base_url = "http://" + server_.http_address();
  HttpTransport transport(http);
  OpenAiChatSettings settings;
  settings.model_name = nullserver::NullOpenAi::kModel;
  const std::vector<LlmPrompt> prompts = {{"p", "hello there", 2, 6}};
  OpenAiChatClient client(transport, settings, "chat", prompts);
  const auto m = run(client, timers_, 8, 32);
  EXPECT_EQ(m.output_tokens, 32u * 6) << "the usage's completion_tokens: max_tokens";
  EXPECT_GE(m.ttft.min_ms(), kFirstMs) << "a first token came before its scripted delay";
  EXPECT_LE(m.ttft.percentile_ms(50), kFirstMs + kSlackMs);
  // Each token is due kLaterMs after the one before it, on the server's schedule from the request's arrival.
  EXPECT_GE(m.itl.percentile_ms(50), kLaterMs / 2);
  EXPECT_LE(m.itl.percentile_ms(50), kLaterMs + kSlackMs);
}

TEST(NullServerProcess, RejectsABadDelayNamingTheFlag) {
  const auto dir = std::filesystem::temp_directory_path() / ("nullserver-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto output = dir / "out.txt";
  const pid_t pid = testing::spawn({VOXPERF_NULLSERVER_BIN, "--first-delay", "uniform:9:1"}, output);
  EXPECT_EQ(testing::exit_code(pid), 2);
  std::ifstream in(output);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("--first-delay uniform:9:1: HIGH is below LOW"), std::string::npos) << text;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace voxperf
