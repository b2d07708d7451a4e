#include "harness/pipelines/openai_chat/openai_settings.h"

#include "harness/targets/fields.h"

namespace voxperf {

void OpenAiChatSettings::describe(nlohmann::json& target) const {
  target["model_name"] = model_name;
  target["stream"] = stream;
  target["http2"] = http2;
  if (!corpus.empty()) target["corpus"] = corpus.string();
  if (!prompts.empty()) target["prompts"] = prompts.string();
  target["input_tokens_mean"] = input_tokens_mean;
  target["input_tokens_stddev"] = input_tokens_stddev;
  target["output_tokens_mean"] = output_tokens_mean;
  target["output_tokens_stddev"] = output_tokens_stddev;
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& pair : token_pairs) pairs.push_back({pair.input, pair.output});
  target["token_pairs"] = pairs;
  target["dataset_entries"] = dataset_entries;
  target["seed"] = seed;
  target["force_output_tokens"] = force_output_tokens;
  target["extra_body"] = extra_body;
}

std::vector<std::string> openai_chat_fields() {
  return {"model_name", "stream", "http2", "corpus", "prompts", "input_tokens_mean", "input_tokens_stddev",
          "output_tokens_mean", "output_tokens_stddev", "token_pairs", "dataset_entries", "seed",
          "force_output_tokens", "extra_body"};
}

std::shared_ptr<OpenAiChatSettings> parse_openai_chat(Fields& fields, const std::string& model,
                                                      const std::filesystem::path& base) {
  auto s = std::make_shared<OpenAiChatSettings>();
  s->model_name = fields.string("model_name").value_or(model);
  if (auto v = fields.boolean("stream")) s->stream = *v;
  if (auto v = fields.boolean("http2")) s->http2 = *v;
  if (auto v = fields.string("corpus")) s->corpus = fields.existing_file("corpus", *v, base);
  if (auto v = fields.string("prompts")) s->prompts = fields.existing_file("prompts", *v, base);
  if (s->corpus.empty() == s->prompts.empty()) {
    fields.fail(s->corpus.empty() ? "corpus" : "prompts",
                "give one of corpus (synthetic prompts cut from a text) and prompts (a file of prompts)");
  }
  if (auto v = fields.number("input_tokens_mean", 1, 1e6)) s->input_tokens_mean = *v;
  if (auto v = fields.number("input_tokens_stddev", 0, 1e6)) s->input_tokens_stddev = *v;
  if (auto v = fields.number("output_tokens_mean", 1, 1e6)) s->output_tokens_mean = *v;
  if (auto v = fields.number("output_tokens_stddev", 0, 1e6)) s->output_tokens_stddev = *v;
  if (!s->prompts.empty() && (fields.has("input_tokens_mean") || fields.has("input_tokens_stddev"))) {
    fields.fail(fields.has("input_tokens_mean") ? "input_tokens_mean" : "input_tokens_stddev",
                "applies to synthetic prompts (corpus), not to a prompts file");
  }
  if (const nlohmann::json* pairs = fields.find("token_pairs")) {
    if (!pairs->is_array() || pairs->empty()) fields.fail("token_pairs", "must be a list of [input, output] pairs");
    for (std::size_t i = 0; i < pairs->size(); ++i) {
      const auto& p = (*pairs)[i];
      const std::string key = "token_pairs[" + std::to_string(i) + "]";
      if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() || !p[1].is_number_integer() ||
          p[0].get<long long>() < 1 || p[1].get<long long>() < 1) {
        fields.fail(key, "must be [input tokens, output tokens], both whole numbers >= 1");
      }
      s->token_pairs.push_back({p[0].get<std::size_t>(), p[1].get<std::size_t>()});
    }
    if (!s->prompts.empty()) fields.fail("token_pairs", "sets synthetic prompt lengths: use corpus, not prompts");
  }
  if (auto v = fields.integer("dataset_entries", 1, 1'000'000)) s->dataset_entries = static_cast<std::size_t>(*v);
  if (auto v = fields.integer("seed", 0, 1LL << 62)) s->seed = static_cast<std::uint64_t>(*v);
  if (auto v = fields.boolean("force_output_tokens")) s->force_output_tokens = *v;
  if (const nlohmann::json* extra = fields.find("extra_body")) {
    if (!extra->is_object()) fields.fail("extra_body", "must be an object, merged into every request body");
    s->extra_body = *extra;
  }
  return s;
}

CaseMode split_case_mode(const std::string& mode) {
  const auto isl = mode.find("-isl");
  const auto osl = mode.find("-osl");
  if (isl == std::string::npos || osl == std::string::npos || osl < isl) return {mode, std::nullopt};
  TokenPair pair{std::stoul(mode.substr(isl + 4, osl - isl - 4)), std::stoul(mode.substr(osl + 4))};
  return {mode.substr(0, isl), pair};
}

std::string case_mode_name(const std::string& api, const TokenPair& pair) {
  return api + "-isl" + std::to_string(pair.input) + "-osl" + std::to_string(pair.output);
}

}  // namespace voxperf
