#include "server/null/null_openai.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <sstream>
#include <thread>

#include "server/http_listener.h"

namespace voxperf::nullserver {
namespace {

using json = nlohmann::json;

std::size_t words(const std::string& text) {
  std::istringstream in(text);
  std::size_t count = 0;
  for (std::string word; in >> word;) ++count;
  return count;
}

// The prompt's length in words: the usage's prompt_tokens.
std::size_t prompt_words(const json& body, bool chat) {
  std::size_t count = 0;
  if (!chat) return body.contains("prompt") && body["prompt"].is_string() ? words(body["prompt"].get<std::string>()) : 0;
  if (!body.contains("messages") || !body["messages"].is_array()) return 0;
  for (const auto& message : body["messages"]) {
    if (message.contains("content") && message["content"].is_string()) count += words(message["content"].get<std::string>());
  }
  return count;
}

long long unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// One answer's state while it streams: its tokens and when each is due.
struct Answer {
  bool chat = true;
  std::string id;
  std::string model;
  std::size_t tokens = 0;
  std::size_t sent = 0;
  std::size_t prompt_tokens = 0;
  bool include_usage = false;
  bool role_sent = false;
  TimePoint due{};

  json chunk(json choice) const {
    return {{"id", id}, {"object", chat ? "chat.completion.chunk" : "text_completion"}, {"created", unix_seconds()},
            {"model", model}, {"choices", json::array({std::move(choice)})}};
  }
  std::string event(const json& value) const { return "data: " + value.dump() + "\n\n"; }
  json usage() const {
    return {{"prompt_tokens", prompt_tokens}, {"completion_tokens", tokens}, {"total_tokens", prompt_tokens + tokens}};
  }
};

}  // namespace

NullOpenAi::NullOpenAi(NullScript& script, httplib::Server& http) : script_(script) {
  http.Get("/v1/models", [](const httplib::Request&, httplib::Response& res) {
    json data = json::array({{{"id", kModel}, {"object", "model"}, {"created", 0}, {"owned_by", "voxperf-nullserver"}}});
    res.set_content(json{{"object", "list"}, {"data", data}}.dump(), "application/json");
  });
  http.Get("/v1/health/ready", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"object":"health.response","message":"Service is ready."})", "application/json");
  });
  for (const bool chat : {true, false}) {
    http.Post(chat ? "/v1/chat/completions" : "/v1/completions", [this, chat](const httplib::Request& req,
                                                                            httplib::Response& res) {
      const TimePoint arrived = SteadyClock::now();
      ++script_.requests;
      ++script_.messages;
      json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) {
        return refserver::send_json_error(res, 400, "the request body is not a JSON object", "BadRequestError");
      }
      auto answer = std::make_shared<Answer>();
      answer->chat = chat;
      answer->id = (chat ? "chatcmpl-null-" : "cmpl-null-") + std::to_string(next_id_++);
      answer->model = body.value("model", std::string(kModel));
      answer->tokens = script_.llm_tokens;
      for (const char* key : {"max_tokens", "max_completion_tokens"}) {
        if (body.contains(key) && body[key].is_number_unsigned()) answer->tokens = std::max<std::size_t>(1, body[key].get<std::size_t>());
      }
      answer->prompt_tokens = prompt_words(body, chat);
      answer->include_usage = body.contains("stream_options") && body["stream_options"].is_object() &&
                              body["stream_options"].value("include_usage", false);
      answer->due = arrived + script_.first.next();
      if (!body.value("stream", false)) {
        for (std::size_t i = 1; i < answer->tokens; ++i) answer->due += script_.later.next();
        std::this_thread::sleep_until(answer->due);
        std::string text;
        for (std::size_t i = 0; i < answer->tokens; ++i) text += kToken;
        json choice = {{"index", 0}, {"finish_reason", "length"}};
        if (chat) {
          choice["message"] = {{"role", "assistant"}, {"content", text}};
        } else {
          choice["text"] = text;
        }
        json whole = answer->chunk(choice);
        whole["object"] = chat ? "chat.completion" : "text_completion";
        whole["usage"] = answer->usage();
        return res.set_content(whole.dump(), "application/json");
      }
      res.set_header("Cache-Control", "no-cache");
      res.set_chunked_content_provider("text/event-stream", [this, answer](std::size_t, httplib::DataSink& sink) {
        auto write = [&](const std::string& text) { return sink.write(text.data(), text.size()); };
        if (answer->chat && !answer->role_sent) {
          answer->role_sent = true;  // at once, as vLLM does: it carries no token
          return write(answer->event(answer->chunk(
              {{"index", 0}, {"delta", {{"role", "assistant"}, {"content", ""}}}, {"finish_reason", nullptr}})));
        }
        if (answer->sent < answer->tokens) {
          std::this_thread::sleep_until(answer->due);
          const bool last = ++answer->sent == answer->tokens;
          json choice = {{"index", 0}, {"finish_reason", last ? json("length") : json(nullptr)}};
          if (answer->chat) {
            choice["delta"] = {{"content", kToken}};
          } else {
            choice["text"] = kToken;
          }
          if (!last) answer->due += script_.later.next();
          return write(answer->event(answer->chunk(choice)));
        }
        if (answer->include_usage) {
          json usage = answer->chunk(nullptr);
          usage["choices"] = json::array();
          usage["usage"] = answer->usage();
          if (!write(answer->event(usage))) return false;
        }
        write("data: [DONE]\n\n");
        sink.done();
        return true;
      });
    });
  }
}

}  // namespace voxperf::nullserver
