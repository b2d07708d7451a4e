// The reference server's OpenAI API: vLLM's SSE shape, tokens from the trigram LM, continuous batching, 512
// keep-alive connections at once, and the openai_chat pipeline end to end against it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <fstream>
#include <set>

#include "harness/http/http_transport.h"
#include "harness/http/sse_parser.h"
#include "harness/input_error.h"
#include "harness/load_driver.h"
#include "harness/pipelines/openai_chat/llm_workload.h"
#include "harness/pipelines/openai_chat/openai_client.h"
#include "harness/pipelines/openai_chat/openai_pipeline.h"
#include "harness/targets/targets_file.h"
#include "harness/timer_queue.h"
#include "harness/token_metrics.h"
#include "harness/window_metrics.h"
#include "refserver_support.h"
#include "server/openai_service.h"

namespace voxperf {
namespace {

using json = nlohmann::json;

class RefserverLlm : public ::testing::Test {
 protected:
  static refserver::RefServerOptions options(const std::string& profile) {
    refserver::RefServerOptions o;
    o.profile = refserver::parse_profile(profile);
    return o;
  }
  HttpSettings http() const {
    HttpSettings h;
    h.base_url = "http://" + server_.http_address();
    return h;
  }
  HttpTransport::Reply post(const std::string& path, const json& body) {
    HttpTransport transport(http());
    return transport.fetch({"POST", path, body.dump(), {{"Content-Type", "application/json"}}}, std::chrono::seconds(60));
  }

  refserver::RefServer server_{options("bs4")};
};

TEST_F(RefserverLlm, ListsItsModelAndIsReady) {
  HttpTransport transport(http());
  const auto models = transport.fetch({"GET", "/v1/models", "", {}});
  ASSERT_TRUE(models.status.ok()) << models.status.message;
  EXPECT_EQ(json::parse(models.body)["data"][0]["id"], refserver::OpenAiService::kModel);
  EXPECT_EQ(transport.fetch({"GET", "/v1/health/ready", "", {}}).http_status, 200);
}

TEST_F(RefserverLlm, StreamsAsVllmDoes) {
  const auto reply = post("/v1/chat/completions",
                          {{"model", refserver::OpenAiService::kModel},
                           {"messages", {{{"role", "user"}, {"content", "what is the weather like in the city today"}}}},
                           {"max_tokens", 12}, {"ignore_eos", true}, {"stream", true},
                           {"stream_options", {{"include_usage", true}}}});
  ASSERT_TRUE(reply.status.ok()) << reply.status.message;
  SseParser parser;
  auto events = parser.feed(reply.body, TimePoint{});
  ASSERT_EQ(events.size(), 1u + 12u + 1u + 1u);  // role, 12 tokens, usage, [DONE]
  const json role = json::parse(events[0].data);
  EXPECT_EQ(role["object"], "chat.completion.chunk");
  EXPECT_EQ(role["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(role["choices"][0]["delta"]["content"], "");
  std::set<std::string> words;
  for (std::size_t i = 1; i <= 12; ++i) {
    const json chunk = json::parse(events[i].data);
    const std::string text = chunk["choices"][0]["delta"]["content"];
    ASSERT_GE(text.size(), 2u);
    EXPECT_EQ(text[0], ' ');
    words.insert(text);
    EXPECT_EQ(chunk["choices"][0]["finish_reason"], i == 12 ? json("length") : json(nullptr));
  }
  EXPECT_GT(words.size(), 3u) << "sampled from the LM, not a canned string";
  const json usage = json::parse(events[13].data);
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["completion_tokens"], 12);
  EXPECT_EQ(usage["usage"]["prompt_tokens"], 9);  // the prompt's words
  EXPECT_TRUE(events[14].done());
}

TEST_F(RefserverLlm, AnswersWholeAndEndsAtEosWhenAllowed) {
  const auto reply = post("/v1/completions", {{"model", refserver::OpenAiService::kModel},
                                              {"prompt", "once upon a time there was"}, {"max_tokens", 400}});
  ASSERT_TRUE(reply.status.ok()) << reply.status.message;
  const json answer = json::parse(reply.body);
  EXPECT_EQ(answer["object"], "text_completion");
  const std::size_t tokens = answer["usage"]["completion_tokens"];
  EXPECT_GE(tokens, 1u);
  // The LM ends sentences: 400 words with no </s> drawn is vanishingly unlikely, and then the reason is "length".
  EXPECT_EQ(answer["choices"][0]["finish_reason"], tokens < 400 ? "stop" : "length");
}

TEST_F(RefserverLlm, RejectsBadRequestsWithOpenAiErrors) {
  auto unknown = post("/v1/chat/completions", {{"model", "gpt-9"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}});
  EXPECT_EQ(unknown.http_status, 404);
  EXPECT_EQ(unknown.status.error_class, "http_404");
  EXPECT_NE(unknown.status.message.find("does not exist"), std::string::npos);
  auto no_messages = post("/v1/chat/completions", {{"model", refserver::OpenAiService::kModel}});
  EXPECT_EQ(no_messages.http_status, 400);
  auto too_many = post("/v1/completions", {{"model", refserver::OpenAiService::kModel}, {"prompt", "a"}, {"max_tokens", 100000}});
  EXPECT_EQ(too_many.http_status, 400);
  HttpTransport transport(http());
  EXPECT_EQ(transport.fetch({"POST", "/v1/completions", "{not json", {}}).http_status, 400);
}

TEST_F(RefserverLlm, HoldsFiveHundredTwelveKeepAliveConnections) {
  // 512 connections in this process and 512 in the server's: raise the descriptor limit as a server host would.
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_max < 4096) GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << limit.rlim_max << " < 4096";
  limit.rlim_cur = std::max<rlim_t>(limit.rlim_cur, 4096);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  OpenAiChatSettings settings;
  settings.model_name = refserver::OpenAiService::kModel;
  const std::vector<LlmPrompt> prompts = {{"p", "hello there", 2, 1}};
  HttpTransport transport(http());
  OpenAiChatClient client(transport, settings, "chat", prompts);
  ThreadTimerQueue timers;
  LoadDriver driver(client, timers);
  LoadSpec spec;
  spec.concurrency = 512;
  spec.requests = 1536;  // three rounds: the second and third reuse the first's connections
  const auto result = driver.run(spec);
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 1536u) << (m.errors_by_status.empty() ? "" : m.errors_by_status.begin()->first);
  EXPECT_EQ(result.max_in_flight, 512u);
  EXPECT_LE(transport.connections_opened(), 512u) << "kept alive, not reopened";
}

TEST(RefserverLlmPipeline, MeasuresTheEmbeddedServerEndToEnd) {
  refserver::RefServerOptions options;
  options.profile = refserver::parse_profile("bs4");
  refserver::RefServer server(options);
  const auto dir = std::filesystem::temp_directory_path() / "voxperf-llm-target";
  std::filesystem::create_directories(dir);
  const auto file = dir / "targets.json";
  std::ofstream(file) << json{{"targets", {{{"model", refserver::OpenAiService::kModel}, {"kind", "openai_chat"},
                                             {"endpoint", "http://" + server.http_address()}, {"modes", {"chat"}},
                                             {"concurrency", {8}}, {"corpus", (testing::kLibrivoxManifest.parent_path() / "llm_corpus.txt").string()},
                                             {"token_pairs", {{30, 20}}}}}}}.dump();
  const auto targets = load_targets(file);
  ASSERT_EQ(targets[0].modes, std::vector<std::string>{"chat-isl30-osl20"});
  auto opened = targets[0].pipeline->open(targets[0], targets[0].endpoint);
  EXPECT_NE(opened->server_config().find(refserver::OpenAiService::kModel), std::string::npos);
  ThreadTimerQueue timers;
  auto client = opened->client("chat-isl30-osl20", {}, timers, SystemClock::instance());
  LoadDriver driver(*client, timers);
  LoadSpec spec;
  spec.concurrency = 8;
  spec.requests = 24;
  const auto result = driver.run(spec);
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 24u);
  EXPECT_EQ(m.estimated_output_lengths, 0u) << "the server reports usage";
  for (double osl : m.output_lengths) EXPECT_EQ(osl, 20.0);  // min_tokens and ignore_eos held it to max_tokens
  for (double isl : m.input_lengths) EXPECT_EQ(isl, 30.0);
  EXPECT_EQ(m.itl.count(), 24u);
  // Eight requests on four slots (bs4): half wait for a slot, so the slowest first token waits for a whole
  // generation of another request, and the fastest does not.
  EXPECT_GT(m.ttft.max_ms(), m.itl.min_ms() * 19);

  // A model the server does not serve is an input error before any traffic, naming the field.
  auto wrong = targets[0];
  OpenAiChatSettings settings = wrong.settings_as<OpenAiChatSettings>();
  settings.model_name = "llama";
  wrong.settings = std::make_shared<OpenAiChatSettings>(settings);
  try {
    wrong.pipeline->open(wrong, wrong.endpoint);
    FAIL() << "opened a target whose model the server does not serve";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("model_name: the server at http://" + server.http_address() +
                                             " serves cmu-en-us-trigram, pocketsphinx, espeak-ng, not 'llama'"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace voxperf
