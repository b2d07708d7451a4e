// Pipeline http_transcription: Whisper-style ASR over HTTP (OpenAI's /v1/audio/transcriptions, vLLM, speaches,
// whisper.cpp's /inference, a custom FastAPI upload service), one utterance uploaded per request. Cases
// "HTTP-ASR/<model>/<profile>/<mode>/c:N", the mode "upload" (the whole answer) or "stream" (stream=true, SSE
// deltas: time to first text). The report has the seed's columns (Avg and P95 latency in seconds, error rate),
// with the sample count the P95 came from.
#pragma once

#include <memory>
#include <vector>

#include "harness/http/http_transport.h"
#include "harness/pipelines/http_transcription/transcription_client.h"
#include "harness/pipelines/http_transcription/transcription_settings.h"
#include "harness/pipelines/pipeline.h"
#include "harness/targets/target.h"

namespace voxperf {

class HttpTranscriptionTarget final : public PipelineTarget {
 public:
  HttpTranscriptionTarget(const Target& target, const std::string& address, std::vector<Upload> uploads);
  std::unique_ptr<RequestClient> client(const std::string& mode, const CaseLoad& load, TimerQueue& timers,
                                        const Clock& clock) override;
  std::string server_config() override;

 private:
  const HttpTranscriptionSettings& settings_;
  std::vector<Upload> uploads_;
  std::unique_ptr<HttpTransport> transport_;
};

// The utterances of a manifest as uploads: each WAV file's bytes as stored (what a user's script posts).
std::vector<Upload> load_uploads(const std::filesystem::path& manifest);

class HttpTranscriptionPipeline final : public Pipeline {
 public:
  std::string kind() const override { return "http_transcription"; }
  std::string family() const override { return "HTTP-ASR"; }
  std::vector<std::string> modes() const override { return {"upload", "stream"}; }
  std::vector<std::string> fields() const override { return http_transcription_fields(); }
  Wire wire() const override { return Wire::kHttp; }
  std::shared_ptr<const PipelineSettings> parse(Fields& fields, const std::filesystem::path& base) const override;
  std::unique_ptr<PipelineTarget> open(const Target& target, const std::string& address) const override;
  std::vector<CounterSpec> counters(const std::string& mode) const override;
  std::vector<ColumnSpec> columns(const std::string& mode) const override;
  std::string table_title(const std::string& mode) const override;
  std::vector<PlotLine> plot_lines(const std::string& mode) const override;
};

}  // namespace voxperf
