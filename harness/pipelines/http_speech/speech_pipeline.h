// Pipeline http_speech: streaming TTS over HTTP, OpenAI's /v1/audio/speech (raw chunked audio or SSE) or
// CosyVoice's FastAPI /inference_sft. Cases "HTTP-TTS/<model>/<profile>/<mode>/c:N", the mode "audio" or "sse".
// Reported as the CosyVoice seed reports: TTFB, TTFA, per-request RTF (processing time / audio seconds) and
// characters per second.
#pragma once

#include <memory>
#include <vector>

#include "harness/http/http_transport.h"
#include "harness/pipelines/http_speech/speech_settings.h"
#include "harness/pipelines/pipeline.h"
#include "harness/prompts.h"
#include "harness/targets/target.h"

namespace voxperf {

class HttpSpeechTarget final : public PipelineTarget {
 public:
  HttpSpeechTarget(const Target& target, const std::string& address, std::vector<Prompt> prompts);
  std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) override;
  std::string server_config() override;

 private:
  const HttpSpeechSettings& settings_;
  std::vector<Prompt> prompts_;
  std::unique_ptr<HttpTransport> transport_;
};

class HttpSpeechPipeline final : public Pipeline {
 public:
  std::string kind() const override { return "http_speech"; }
  std::string family() const override { return "HTTP-TTS"; }
  std::vector<std::string> modes() const override { return {"audio", "sse"}; }
  std::vector<std::string> fields() const override { return http_speech_fields(); }
  Wire wire() const override { return Wire::kHttp; }
  std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const override;
  std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const override;
  std::vector<CounterSpec> counters(const std::string& mode) const override;
  std::vector<ColumnSpec> columns(const std::string& mode) const override;
  std::string table_title(const std::string& mode) const override;
  std::vector<PlotLine> plot_lines(const std::string& mode) const override;
};

}  // namespace voxperf
