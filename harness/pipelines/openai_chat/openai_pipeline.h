// Pipeline openai_chat: OpenAI-compatible LLM serving (NIM, vLLM, the reference server's statistical LM) over
// HTTP, measured as genai-perf measures it (../shared/facts/genai-perf.md) but on SSE events, not on libcurl
// reads. Cases "LLM/<model>/<profile>/<mode>/c:N", the mode "chat" or "completions", or with token pairs
// "chat-isl1000-osl200".
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "harness/http/http_transport.h"
#include "harness/http/target_http.h"
#include "harness/pipelines/openai_chat/llm_workload.h"
#include "harness/pipelines/openai_chat/openai_settings.h"
#include "harness/pipelines/pipeline.h"
#include "harness/targets/target.h"

namespace voxperf {

class OpenAiChatTarget final : public PipelineTarget {
 public:
  OpenAiChatTarget(const Target& target, const std::string& address);
  std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) override;
  std::string server_config() override;
  // Empty, or what is wrong with model_name against the server's /v1/models (unreachable: empty).
  std::string check_model();

 private:
  const std::vector<LlmPrompt>& prompts_for(const CaseMode& mode);

  const Target& target_;
  const OpenAiChatSettings& settings_;
  std::vector<std::string> corpus_;
  std::unique_ptr<HttpTransport> transport_;
  std::mutex mutex_;
  std::map<std::string, std::vector<LlmPrompt>> prompts_;  // by token pair ("" without one)
};

class OpenAiChatPipeline final : public Pipeline {
 public:
  std::string kind() const override { return "openai_chat"; }
  std::string family() const override { return "LLM"; }
  std::vector<std::string> modes() const override { return {"chat", "completions"}; }
  std::vector<std::string> fields() const override;
  Wire wire() const override { return Wire::kHttp; }
  std::vector<std::string> case_modes(const std::vector<std::string>& modes,
                                      const PipelineSettings& settings) const override;
  std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const override;
  std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const override;
  std::vector<CounterSpec> counters(const std::string& mode) const override;
  std::vector<ColumnSpec> columns(const std::string& mode) const override;
  std::string table_title(const std::string& mode) const override;
  std::vector<StatisticRow> statistics(const std::string& mode) const override;
  std::vector<PlotLine> plot_lines(const std::string& mode) const override;
};

}  // namespace voxperf
