// openai_chat: the wire format, the workload, the token metrics, and the client over libcurl against a gMock
// fake HTTP server whose script moves the client's clock, so every figure is exact however busy the machine.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "harness/http/http_status.h"
#include "harness/http/http_transport.h"
#include "harness/load_driver.h"
#include "harness/pipelines/openai_chat/llm_workload.h"
#include "harness/pipelines/openai_chat/openai_client.h"
#include "harness/pipelines/openai_chat/openai_pipeline.h"
#include "harness/pipelines/openai_chat/openai_protocol.h"
#include "harness/slo.h"
#include "harness/timer_queue.h"
#include "harness/token_metrics.h"
#include "harness/window_metrics.h"
#include "mocks/fake_http_server.h"
#include "mocks/scripted_clock.h"
#include "record_builder.h"

namespace voxperf {
namespace {

using json = nlohmann::json;
using mocks::HttpReply;
using mocks::HttpRequestSeen;
using mocks::sse;
using testing::at_ms;
using ::testing::_;

OpenAiChatSettings chat_settings() {
  OpenAiChatSettings s;
  s.model_name = "m";
  return s;
}

std::string content_chunk(const std::string& text) {
  return json{{"object", "chat.completion.chunk"}, {"choices", {{{"index", 0}, {"delta", {{"content", text}}}}}}}.dump();
}
std::string role_chunk() {
  return json{{"choices", {{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", ""}}}}}}}.dump();
}
std::string usage_chunk(std::size_t prompt, std::size_t completion) {
  return json{{"choices", json::array()}, {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion}}}}.dump();
}

// ---- wire format ----

TEST(OpenAiProtocol, ChatBodyAsksForExactlyMaxTokensWithUsage) {
  auto s = chat_settings();
  s.extra_body = {{"temperature", 0}};
  LlmPrompt prompt{"p", "hello there", 2, 7};
  const json body = json::parse(request_body(s, "chat", prompt));
  EXPECT_EQ(body["model"], "m");
  EXPECT_EQ(body["messages"][0]["content"], "hello there");
  EXPECT_EQ(body["max_tokens"], 7);
  EXPECT_EQ(body["min_tokens"], 7);
  EXPECT_EQ(body["ignore_eos"], true);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["stream_options"]["include_usage"], true);
  EXPECT_EQ(body["temperature"], 0);
  EXPECT_EQ(api_path("chat"), "/v1/chat/completions");
}

TEST(OpenAiProtocol, CompletionsBodyWithoutForcingOrStreaming) {
  auto s = chat_settings();
  s.force_output_tokens = false;
  s.stream = false;
  const json body = json::parse(request_body(s, "completions", {"p", "once", 1, 3}));
  EXPECT_EQ(body["prompt"], "once");
  EXPECT_FALSE(body.contains("min_tokens"));
  EXPECT_FALSE(body.contains("ignore_eos"));
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_EQ(api_path("completions"), "/v1/completions");
}

TEST(OpenAiProtocol, ReadsChunks) {
  auto role = read_chunk(role_chunk(), "chat", true);
  EXPECT_TRUE(role.problem.empty());
  EXPECT_TRUE(role.has_choices);
  EXPECT_EQ(role.text, "");  // role-only: no token
  EXPECT_EQ(read_chunk(content_chunk(" hi"), "chat", true).text, " hi");
  auto usage = read_chunk(usage_chunk(12, 34), "chat", true);
  EXPECT_FALSE(usage.has_choices);
  EXPECT_EQ(usage.prompt_tokens, 12u);
  EXPECT_EQ(usage.completion_tokens, 34u);
  EXPECT_EQ(read_chunk(R"({"choices":[{"text":" a"}]})", "completions", true).text, " a");
  EXPECT_EQ(read_chunk(R"({"choices":[{"message":{"content":"whole"}}]})", "chat", false).text, "whole");
  EXPECT_EQ(read_chunk(R"({"error":{"message":"overloaded"}})", "chat", true).server_error, "overloaded");
  EXPECT_FALSE(read_chunk("{not json", "chat", true).problem.empty());
  EXPECT_FALSE(read_chunk(R"({"choices":{}})", "chat", true).problem.empty());
  EXPECT_FALSE(read_chunk(R"({"choices":[{"delta":{"content":5}}]})", "chat", true).problem.empty());
}

TEST(HttpStatus, MapsAsGrpcDoesAndKeepsTheCode) {
  EXPECT_EQ(grpc_code_for_http(200), 0);
  EXPECT_EQ(grpc_code_for_http(401), 16);
  EXPECT_EQ(grpc_code_for_http(429), 14);
  EXPECT_EQ(grpc_code_for_http(500), 2);
  const Status s = http_error(429, "{\"error\":\"slow down\"}\n", "http://h/v1/x");
  EXPECT_EQ(s.error_class, "http_429");
  EXPECT_NE(s.message.find("HTTP 429: {\"error\":\"slow down\"}"), std::string::npos);
}

// ---- workload ----

TEST(LlmWorkload, SyntheticPromptsHaveTheAskedLengthsAndRepeat) {
  const std::vector<std::string> corpus = {"a", "b", "c", "d", "e"};
  const auto prompts = synthetic_prompts(corpus, {7, 0}, {11, 0}, 3, 42);
  ASSERT_EQ(prompts.size(), 3u);
  for (const auto& p : prompts) {
    EXPECT_EQ(p.words, 7u);
    EXPECT_EQ(p.max_tokens, 11u);
    std::size_t spaces = static_cast<std::size_t>(std::count(p.text.begin(), p.text.end(), ' '));
    EXPECT_EQ(spaces, 6u) << p.text;  // wrapped round the five-word corpus
  }
  const auto again = synthetic_prompts(corpus, {7, 0}, {11, 0}, 3, 42);
  EXPECT_EQ(again[2].text, prompts[2].text);
  const auto varied = synthetic_prompts(corpus, {50, 20}, {100, 30}, 200, 1);
  double sum = 0;
  for (const auto& p : varied) {
    EXPECT_GE(p.words, 1u);
    sum += static_cast<double>(p.words);
  }
  EXPECT_NEAR(sum / 200.0, 50.0, 5.0);  // 200 draws of N(50, 20): the mean is within 5 with near certainty
}

TEST(LlmWorkload, APromptsFileGivesItsPromptsAndTheirWords) {
  const auto path = std::filesystem::temp_directory_path() / ("voxperf-llm-prompts-" + std::to_string(::getpid()));
  std::ofstream(path) << "q1|What is the  capital of France?\n\nSay hello.\n";
  const auto prompts = file_prompts(path, {16, 0}, 0);
  std::filesystem::remove(path);
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts[0].id, "q1");
  EXPECT_EQ(prompts[0].words, 6u);
  EXPECT_EQ(prompts[1].words, 2u);
  EXPECT_EQ(prompts[1].max_tokens, 16u);
}

TEST(LlmWorkload, TokenPairsBecomeCaseModes) {
  OpenAiChatSettings s = chat_settings();
  s.token_pairs = {{100, 300}, {1000, 200}};
  OpenAiChatPipeline pipeline;
  EXPECT_EQ(pipeline.case_modes({"chat"}, s), (std::vector<std::string>{"chat-isl100-osl300", "chat-isl1000-osl200"}));
  const CaseMode mode = split_case_mode("completions-isl1000-osl200");
  EXPECT_EQ(mode.api, "completions");
  ASSERT_TRUE(mode.pair);
  EXPECT_EQ(mode.pair->input, 1000u);
  EXPECT_EQ(mode.pair->output, 200u);
  EXPECT_FALSE(split_case_mode("chat").pair);
}

// ---- token metrics ----

RequestRecord streamed(std::vector<double> text_ms, std::optional<std::size_t> usage_osl, double end_ms) {
  testing::RecordBuilder b;
  b.sent(0).empty(5);  // the role-only first chunk
  RequestRecord r = b.build();
  for (double t : text_ms) r.responses.push_back({at_ms(t), ResponseKind::kText, 3, 0.0, {}});
  r.responses.push_back({at_ms(end_ms), ResponseKind::kEmpty, 0, 0.0, {}});  // usage chunk
  r.output_tokens = usage_osl;
  r.prompt_words = 20;
  r.end = at_ms(end_ms);
  r.status = Status{};
  return r;
}

TEST(TokenMetrics, GenaiPerfDefinitions) {
  // Text at 100, 130, 150, 190 ms; usage says 7 tokens (a chunk carried several); usage chunk at 200 ms.
  const auto r = streamed({100, 130, 150, 190}, 7, 200);
  EXPECT_EQ(time_to_first_token(r, LoadModel::kClosedLoop), std::chrono::milliseconds(100));  // role chunk skipped
  EXPECT_EQ(time_to_second_token(r), std::chrono::milliseconds(30));
  EXPECT_EQ(output_sequence_length(r), 7u);
  EXPECT_FALSE(output_length_estimated(r));
  EXPECT_EQ(inter_token_latency(r), std::chrono::milliseconds(15));  // (190 - 100) / (7 - 1)
  EXPECT_EQ(time_per_output_token(r, LoadModel::kClosedLoop), Nanos(std::chrono::milliseconds(100)) / 6);
  EXPECT_DOUBLE_EQ(*tokens_per_second_per_user(r), 1000.0 / 15.0);
  EXPECT_EQ(input_sequence_length(r), 20u);  // no usage.prompt_tokens: the words sent
}

TEST(TokenMetrics, WithoutUsageTheEventsAreCountedAndFlagged) {
  const auto r = streamed({100, 110}, std::nullopt, 120);
  EXPECT_EQ(output_sequence_length(r), 2u);
  EXPECT_TRUE(output_length_estimated(r));
  EXPECT_EQ(inter_token_latency(r), std::chrono::milliseconds(10));
  const auto one = streamed({100}, 1, 101);
  EXPECT_FALSE(inter_token_latency(one));
  EXPECT_FALSE(time_to_second_token(one));
}

TEST(TokenMetrics, GoodputCountsRequestsThatMetEveryBound) {
  Slo slo;
  slo.ttft_ms = 150;
  slo.itl_ms = 20;
  std::vector<RequestRecord> records = {
      streamed({100, 110, 120}, 3, 130),  // ttft 100, itl 10: good
      streamed({200, 210}, 2, 220),       // ttft 200: too slow
      streamed({100, 160}, 2, 170),       // itl 60: too slow
      streamed({120}, 1, 121),            // one token: no ITL to miss
  };
  EXPECT_TRUE(meets_slo(records[0], LoadModel::kClosedLoop, slo));
  EXPECT_FALSE(meets_slo(records[1], LoadModel::kClosedLoop, slo));
  EXPECT_FALSE(meets_slo(records[2], LoadModel::kClosedLoop, slo));
  EXPECT_TRUE(meets_slo(records[3], LoadModel::kClosedLoop, slo));
  const auto m = summarize_window(records, {at_ms(0), at_ms(1000), LoadModel::kClosedLoop}, slo);
  ASSERT_TRUE(m.good_requests);
  EXPECT_EQ(*m.good_requests, 2u);
  EXPECT_DOUBLE_EQ(m.goodput_rps, 2.0);
  EXPECT_EQ(m.output_tokens, 8u);
  EXPECT_DOUBLE_EQ(m.output_tokens_per_second, 8.0);
  EXPECT_FALSE(summarize_window(records, {at_ms(0), at_ms(1000), LoadModel::kClosedLoop}).good_requests);
}

// ---- the client against the fake server ----

class OpenAiChatClientTest : public ::testing::Test {
 protected:
  HttpSettings http_for(const mocks::FakeHttpServer& server) {
    HttpSettings http;
    http.base_url = "http://" + server.address();
    http.deadline = std::chrono::seconds(20);
    return http;
  }
  LoadResult run(HttpTransport& transport, std::size_t requests, std::size_t concurrency, const Clock& clock) {
    OpenAiChatClient client(transport, settings_, "chat", prompts_, clock);
    LoadDriver driver(client, timers_, clock);
    LoadSpec spec;
    spec.requests = requests;
    spec.concurrency = concurrency;
    return driver.run(spec);
  }
  // Runs `requests` at `concurrency` against a fake server answering as handler_ says, over a fresh transport
  // (its settings from http_for, then `adjust`); what both sides saw of the connections too.
  struct Served {
    LoadResult result;
    std::size_t server_connections = 0;
    std::size_t client_connections = 0;
  };
  Served serve(std::size_t requests, std::size_t concurrency, const Clock& clock = SystemClock::instance(),
               const std::function<void(HttpSettings&)>& adjust = {}) {
    mocks::FakeHttpServer server(handler_);
    auto http = http_for(server);
    if (adjust) adjust(http);
    HttpTransport transport(http, clock);
    Served out;
    out.result = run(transport, requests, concurrency, clock);
    out.server_connections = server.connections();
    out.client_connections = transport.connections_opened();
    return out;
  }
  std::map<std::string, double> counters(const WindowMetrics& m) {
    std::map<std::string, double> out;
    for (const auto& spec : OpenAiChatPipeline().counters("chat")) out[spec.name] = spec.value(m);
    return out;
  }

  OpenAiChatSettings settings_ = chat_settings();
  std::vector<LlmPrompt> prompts_ = {{"p0", "one two three", 3, 4}};
  ThreadTimerQueue timers_;
  mocks::MockHttpHandler handler_;
};

// Writes `bytes` as one chunk at +`ms` on the scripted clock and waits until the client has stamped it.
void at(mocks::ScriptedClock& clock, HttpReply& reply, int ms, const std::string& bytes) {
  const auto mark = clock.advance(std::chrono::milliseconds(ms));
  reply.chunk(bytes);
  clock.wait_for_read(mark);
}

TEST_F(OpenAiChatClientTest, CountersEqualWhatTheServerScripted) {
  mocks::ScriptedClock clock;
  // Each request: role chunk at +20 ms, tokens at +50, +10, +10, +10 ms after it, usage, [DONE].
  EXPECT_CALL(handler_, respond(_, _)).Times(3).WillRepeatedly([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(req.path, "/v1/chat/completions");
    EXPECT_EQ(json::parse(req.body)["max_tokens"], 4);
    reply.begin(200, "text/event-stream");
    at(clock, reply, 20, sse(role_chunk()));
    at(clock, reply, 50, sse(content_chunk(" a")));
    for (int i = 0; i < 3; ++i) at(clock, reply, 10, sse(content_chunk(" b")));
    at(clock, reply, 5, sse(usage_chunk(9, 4)) + sse("[DONE]"));
    reply.end();
  });
  const auto served = serve(3, 1, clock);
  const auto& result = served.result;
  const auto m = summarize_window(result.records, result.window);
  const auto c = counters(m);
  EXPECT_EQ(m.completed, 3u);
  EXPECT_DOUBLE_EQ(c.at("ttft_mean_ms"), 70.0);  // 20 + 50: the role-only chunk is not a token
  EXPECT_DOUBLE_EQ(c.at("ttst_mean_ms"), 10.0);
  EXPECT_DOUBLE_EQ(c.at("itl_mean_ms"), 10.0);   // (100 - 70) / (4 - 1)
  EXPECT_NEAR(c.at("tpot_mean_ms"), 35.0 / 3.0, 1e-6);  // to the usage chunk at 105 ms: (105 - 70) / 3, in whole ns
  EXPECT_DOUBLE_EQ(c.at("request_latency_mean_ms"), 105.0);
  EXPECT_DOUBLE_EQ(c.at("tokens_per_s_per_user"), 100.0);
  EXPECT_DOUBLE_EQ(c.at("osl_mean"), 4.0);
  EXPECT_DOUBLE_EQ(c.at("isl_mean"), 9.0);  // the server's prompt_tokens, not the 3 words sent
  EXPECT_DOUBLE_EQ(c.at("osl_estimated"), 0.0);
  EXPECT_DOUBLE_EQ(c.at("output_tokens_per_s"), 12.0 / 0.315);
  EXPECT_DOUBLE_EQ(c.at("requests_per_s"), 3.0 / 0.315);
  EXPECT_EQ(served.server_connections, 1u) << "three requests in turn reuse one keep-alive connection";
}

TEST_F(OpenAiChatClientTest, OneByteAtATimeStampsEachEventAtItsLastByte) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen&, HttpReply& reply) {
    reply.begin(200, "text/event-stream");
    const std::string stream = sse(content_chunk(" a")) + sse(content_chunk(" b")) + sse("[DONE]");
    for (char byte : stream) at(clock, reply, 1, std::string(1, byte));
    reply.end();
  });
  const auto result = serve(1, 1, clock).result;
  const auto& r = result.records[0];
  ASSERT_TRUE(r.ok()) << r.status.message;
  const std::size_t first_event = sse(content_chunk(" a")).size();
  EXPECT_EQ(time_to_first_token(r, LoadModel::kClosedLoop), std::chrono::milliseconds(first_event));
  EXPECT_EQ(time_to_second_token(r), std::chrono::milliseconds(sse(content_chunk(" b")).size()));
}

TEST_F(OpenAiChatClientTest, EventsInOneWriteShareItsTime) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen&, HttpReply& reply) {
    reply.begin(200, "text/event-stream");
    at(clock, reply, 40, sse(content_chunk(" a")) + sse(content_chunk(" b")) + sse(content_chunk(" c")));
    at(clock, reply, 10, sse("[DONE]"));
    reply.end();
  });
  const auto result = serve(1, 1, clock).result;
  const auto& r = result.records[0];
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_EQ(time_to_first_token(r, LoadModel::kClosedLoop), std::chrono::milliseconds(40));
  EXPECT_EQ(time_to_second_token(r), Nanos(0));  // they arrived together: no client can tell them apart
  EXPECT_EQ(output_sequence_length(r), 3u);
  EXPECT_TRUE(output_length_estimated(r));  // no usage chunk
}

TEST_F(OpenAiChatClientTest, AWholeAnswerIsOneTokenEventAtItsLastByte) {
  mocks::ScriptedClock clock;
  settings_.stream = false;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(json::parse(req.body)["stream"], false);
    reply.begin(200, "application/json");
    const std::string answer = json{{"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "one two"}}}}}},
                                    {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 2}}}}.dump();
    at(clock, reply, 30, answer.substr(0, 10));
    at(clock, reply, 20, answer.substr(10));
    reply.end();
  });
  const auto result = serve(1, 1, clock).result;
  const auto& r = result.records[0];
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_EQ(time_to_first_token(r, LoadModel::kClosedLoop), std::chrono::milliseconds(50));  // = the latency
  EXPECT_EQ(request_latency(r, LoadModel::kClosedLoop), std::chrono::milliseconds(50));
  EXPECT_EQ(output_sequence_length(r), 2u);
  EXPECT_EQ(input_sequence_length(r), 5u);
  EXPECT_FALSE(inter_token_latency(r));  // one event: no decode phase to see
}

TEST_F(OpenAiChatClientTest, FailuresAreCountedByClass) {
  EXPECT_CALL(handler_, respond(_, _))
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) {
        reply.whole(429, "application/json", R"({"error":{"message":"rate limited"}})", {{"Retry-After", "1"}});
      })
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) { reply.whole(500, "text/plain", "boom"); })
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) {  // cut before [DONE]
        reply.begin(200, "text/event-stream");
        reply.chunk(sse(content_chunk(" a")));
        reply.cut();
      })
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) {  // ends cleanly, but without [DONE]
        reply.begin(200, "text/event-stream");
        reply.chunk(sse(content_chunk(" a")));
        reply.end();
      })
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) {  // malformed JSON in an event
        reply.begin(200, "text/event-stream");
        reply.chunk(sse("{\"choices\": [") + sse("[DONE]"));
        reply.end();
      })
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) {  // the server fails in band
        reply.begin(200, "text/event-stream");
        reply.chunk(sse(R"({"error":{"message":"engine died"}})") + sse("[DONE]"));
        reply.end();
      })
      .WillOnce([](const HttpRequestSeen&, HttpReply& reply) {  // and then all is well
        reply.begin(200, "text/event-stream");
        reply.chunk(sse(content_chunk(" a")) + sse("[DONE]"));
        reply.end();
      });
  const auto result = serve(7, 1).result;
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 1u);
  EXPECT_EQ(m.failed, 6u);
  EXPECT_EQ(m.errors_by_status.at("http_429"), 1u);
  EXPECT_EQ(m.errors_by_status.at("http_500"), 1u);
  EXPECT_EQ(m.errors_by_status.at("UNAVAILABLE"), 1u);  // the cut: libcurl saw the body end mid-chunk
  EXPECT_EQ(m.errors_by_status.at("no_done"), 1u);
  EXPECT_EQ(m.errors_by_status.at("bad_event"), 1u);
  EXPECT_EQ(m.errors_by_status.at("stream_error"), 1u);
  EXPECT_NE(result.records[0].status.message.find("rate limited"), std::string::npos);
  EXPECT_TRUE(result.records[6].ok());
}

TEST_F(OpenAiChatClientTest, HeadersReachTheServerAndTheDeadlineHolds) {
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(req.headers.at("authorization"), "Bearer sekrit");
    reply.begin(200, "text/event-stream");
    std::this_thread::sleep_for(std::chrono::milliseconds(600));  // past the 200 ms deadline
    reply.end();
  });
  const auto result = serve(1, 1, SystemClock::instance(), [](HttpSettings& http) {
                        http.headers = {{"Authorization", "Bearer sekrit"}};
                        http.deadline = std::chrono::milliseconds(200);
                      }).result;
  EXPECT_EQ(result.records[0].status.code, 4) << result.records[0].status.message;  // DEADLINE_EXCEEDED
  EXPECT_EQ(result.records[0].status.message.find("sekrit"), std::string::npos);
}

TEST_F(OpenAiChatClientTest, ConcurrentRequestsKeepTheirConnections) {
  EXPECT_CALL(handler_, respond(_, _)).Times(40).WillRepeatedly([](const HttpRequestSeen&, HttpReply& reply) {
    reply.begin(200, "text/event-stream");
    reply.chunk(sse(role_chunk()));
    reply.chunk(sse(content_chunk(" a")) + sse(usage_chunk(3, 1)) + sse("[DONE]"));
    reply.end();
  });
  const auto served = serve(40, 4);
  const auto m = summarize_window(served.result.records, served.result.window);
  EXPECT_EQ(m.completed, 40u);
  EXPECT_LE(served.server_connections, 4u) << "four in flight need at most four connections, kept alive";
  EXPECT_EQ(served.client_connections, served.server_connections);
}

}  // namespace
}  // namespace voxperf
