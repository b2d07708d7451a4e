#include "server/openai_service.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <thread>

#include <chrono>

#include "harness/input_error.h"
#include "server/http_listener.h"
#include "server/llm_engine.h"

namespace voxperf::refserver {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxTokens = 4096;         // per request
constexpr std::size_t kDefaultChatTokens = 256;  // chat requests without max_tokens

long long unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void send_error(httplib::Response& res, int status, const std::string& message, const char* type) {
  send_json_error(res, status, message, type);
}

// What a request asked for, checked; `problem` says what is wrong (HTTP 400), `unknown_model` gives 404.
struct Ask {
  Generation generation;
  bool stream = false;
  bool include_usage = false;
  std::string model;
  std::string problem;
  bool unknown_model = false;
};

std::size_t count_field(const json& body, const char* key, std::size_t fallback, std::string& problem) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<long long>() < 0) {
    problem = std::string("'") + key + "' must be a whole number >= 0";
    return fallback;
  }
  return it->get<std::size_t>();
}

Ask read_ask(const std::string& text, bool chat) {
  Ask ask;
  const json body = json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    ask.problem = "the body is not a JSON object";
    return ask;
  }
  if (!body.contains("model") || !body["model"].is_string()) {
    ask.problem = "'model' is required (a string)";
    return ask;
  }
  ask.model = body["model"].get<std::string>();
  if (ask.model != OpenAiService::kModel) {
    ask.unknown_model = true;
    ask.problem = "The model `" + ask.model + "` does not exist.";
    return ask;
  }
  if (chat) {
    if (!body.contains("messages") || !body["messages"].is_array() || body["messages"].empty()) {
      ask.problem = "'messages' is required (a non-empty list)";
      return ask;
    }
    for (const auto& message : body["messages"]) {
      if (!message.is_object() || !message.contains("content") || !message["content"].is_string()) {
        ask.problem = "every message needs a string 'content'";
        return ask;
      }
      ask.generation.prompt += message["content"].get<std::string>() + " ";
    }
  } else {
    const auto prompt = body.find("prompt");
    if (prompt == body.end() || !(prompt->is_string() || (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()))) {
      ask.problem = "'prompt' is required (a string)";
      return ask;
    }
    ask.generation.prompt = prompt->is_string() ? prompt->get<std::string>() : (*prompt)[0].get<std::string>();
  }
  ask.generation.max_tokens = count_field(body, "max_tokens", chat ? kDefaultChatTokens : 16, ask.problem);
  if (body.contains("max_completion_tokens")) {
    ask.generation.max_tokens = count_field(body, "max_completion_tokens", ask.generation.max_tokens, ask.problem);
  }
  ask.generation.min_tokens = count_field(body, "min_tokens", 0, ask.problem);
  ask.generation.seed = count_field(body, "seed", 0, ask.problem);
  if (!ask.problem.empty()) return ask;
  if (ask.generation.max_tokens < 1 || ask.generation.max_tokens > kMaxTokens) {
    ask.problem = "'max_tokens' must be from 1 to " + std::to_string(kMaxTokens);
    return ask;
  }
  if (ask.generation.min_tokens > ask.generation.max_tokens) {
    ask.problem = "'min_tokens' must not exceed 'max_tokens'";
    return ask;
  }
  if (auto v = body.find("ignore_eos"); v != body.end() && v->is_boolean()) ask.generation.ignore_eos = v->get<bool>();
  if (auto v = body.find("stream"); v != body.end() && v->is_boolean()) ask.stream = v->get<bool>();
  if (auto options = body.find("stream_options"); options != body.end() && options->is_object()) {
    if (auto v = options->find("include_usage"); v != options->end() && v->is_boolean()) ask.include_usage = v->get<bool>();
  }
  return ask;
}

json usage_of(const TokenChannel::Item& end) {
  return {{"prompt_tokens", end.prompt_tokens},
          {"completion_tokens", end.completion_tokens},
          {"total_tokens", end.prompt_tokens + end.completion_tokens}};
}

// The chunks of one streamed answer, in vLLM's shape.
class ChunkWriter {
 public:
  ChunkWriter(bool chat, std::string id, std::string model)
      : chat_(chat), id_(std::move(id)), model_(std::move(model)), created_(unix_seconds()) {}

  std::string role() const {
    return event(choice({{"role", "assistant"}, {"content", ""}}, nullptr));
  }
  std::string token(const std::string& text, const char* finish_reason) const {
    return event(choice(chat_ ? json{{"content", text}} : json(text), finish_reason));
  }
  std::string usage(const TokenChannel::Item& end) const {
    json chunk = head();
    chunk["choices"] = json::array();
    chunk["usage"] = usage_of(end);
    return "data: " + chunk.dump() + "\n\n";
  }

 private:
  json head() const {
    return {{"id", id_}, {"object", chat_ ? "chat.completion.chunk" : "text_completion"}, {"created", created_},
            {"model", model_}};
  }
  json choice(const json& content, const char* finish_reason) const {
    json c = {{"index", 0}, {"logprobs", nullptr}, {"finish_reason", finish_reason ? json(finish_reason) : json(nullptr)}};
    c[chat_ ? "delta" : "text"] = content;
    return c;
  }
  std::string event(const json& choice) const {
    json chunk = head();
    chunk["choices"] = json::array({choice});
    return "data: " + chunk.dump() + "\n\n";
  }

  bool chat_;
  std::string id_, model_;
  long long created_;
};

}  // namespace

OpenAiService::OpenAiService(LlmEngine& engine, httplib::Server& http, std::vector<std::string> other_models,
                             std::chrono::microseconds first_delay)
    : engine_(engine), other_models_(std::move(other_models)), first_delay_(first_delay) {
  routes(http);
}

void OpenAiService::routes(httplib::Server& http) {
  http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
    json data = json::array({{{"id", kModel}, {"object", "model"}, {"created", 0}, {"owned_by", "voxperf"},
                              {"max_model_len", kMaxTokens}}});
    for (const auto& other : other_models_) {
      data.push_back({{"id", other}, {"object", "model"}, {"created", 0}, {"owned_by", "voxperf"}});
    }
    res.set_content(json{{"object", "list"}, {"data", data}}.dump(), "application/json");
  });
  http.Get("/v1/health/ready", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(json{{"object", "health.response"}, {"message", "Service is ready."}}.dump(), "application/json");
  });
  for (const bool chat : {true, false}) {
    http.Post(chat ? "/v1/chat/completions" : "/v1/completions",
                  [this, chat](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      Ask ask = read_ask(req.body, chat);
      if (!ask.problem.empty()) {
        return send_error(res, ask.unknown_model ? 404 : 400, ask.problem,
                          ask.unknown_model ? "NotFoundError" : "BadRequestError");
      }
      const std::string id = (chat ? "chatcmpl-" : "cmpl-") + std::to_string(next_id_++);
      auto channel = engine_.submit(ask.generation);
      // The injected delay (--fault-first-delay-ms) is slept once the first token exists and before it is
      // sent, as a slower model would make it later; slept before the engine made it, it would overlap that.
      const auto first_delay = first_delay_;
      if (!ask.stream) {
        std::string text;
        TokenChannel::Item item;
        for (item = channel->next(); item.token; item = channel->next()) text += *item.token;
        if (first_delay.count() > 0) std::this_thread::sleep_for(first_delay);
        if (std::string(item.finish_reason) == "abort") return send_error(res, 503, "the server is shutting down", "ServiceUnavailableError");
        json answer = {{"id", id}, {"object", chat ? "chat.completion" : "text_completion"},
                       {"created", unix_seconds()}, {"model", ask.model}, {"usage", usage_of(item)}};
        json choice = {{"index", 0}, {"logprobs", nullptr}, {"finish_reason", item.finish_reason}};
        if (chat) {
          choice["message"] = {{"role", "assistant"}, {"content", text}};
        } else {
          choice["text"] = text;
        }
        answer["choices"] = json::array({choice});
        return res.set_content(answer.dump(), "application/json");
      }
      auto writer = std::make_shared<ChunkWriter>(chat, id, ask.model);
      auto started = std::make_shared<bool>(false), first_token_sent = std::make_shared<bool>(false);
      const bool include_usage = ask.include_usage;
      res.set_header("Cache-Control", "no-cache");
      res.set_chunked_content_provider(
          "text/event-stream",
          [writer, channel, started, first_token_sent, include_usage, chat, first_delay](std::size_t,
                                                                                        httplib::DataSink& sink) {
            auto write = [&](const std::string& text) { return sink.write(text.data(), text.size()); };
            if (!*started) {
              *started = true;
              if (chat && !write(writer->role())) return channel->close(), false;
            }
            // One token per call, sent as soon as the engine made it; the last carries its finish_reason.
            TokenChannel::Item item = channel->next();
            if (item.token) {
              if (!*first_token_sent) {
                *first_token_sent = true;
                if (first_delay.count() > 0) std::this_thread::sleep_for(first_delay);
              }
              if (!write(writer->token(*item.token, *item.finish_reason ? item.finish_reason : nullptr))) {
                return channel->close(), false;
              }
              return true;
            }
            if (std::string(item.finish_reason) == "abort") return false;  // shutting down: the stream is cut
            if (std::string(item.finish_reason) != "length") write(writer->token("", item.finish_reason));
            if (include_usage) write(writer->usage(item));
            write("data: [DONE]\n\n");
            sink.done();
            return true;
          },
          [channel](bool) { channel->close(); });
    });
  }
}

}  // namespace voxperf::refserver
