// Targets files: a full and a minimal good file, and bad files whose errors must name the file and field.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "harness/input_error.h"
#include "harness/pipelines/kserve_stream/kserve_settings.h"
#include "harness/pipelines/http_speech/speech_settings.h"
#include "harness/pipelines/http_transcription/transcription_settings.h"
#include "harness/pipelines/openai_chat/openai_settings.h"
#include "harness/pipelines/riva_asr/asr_pipeline.h"
#include "harness/pipelines/riva_tts/tts_pipeline.h"
#include "harness/targets/targets_file.h"
#include "harness/window_metrics.h"
#include "perf_tests/level_measurement.h"

namespace voxperf {
namespace {

namespace fs = std::filesystem;

class TargetsFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf-targets-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    write("speech.jsonl", "{\"audio\": \"a.wav\", \"text\": \"a\"}\n");
    write("prompts.txt", "one|Hello there.\n");
    write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }

  std::vector<Target> load(const std::string& json) {
    return load_targets(write("targets.json", json), [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }

  // Loads `json` and returns the InputError's message (empty if it loaded).
  std::string error_of(const std::string& json) {
    try {
      load(json);
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  }

  fs::path dir_;
  std::map<std::string, std::string> env_{{"NGC_API_KEY", "nvapi-secret"}};
};

const char* kMinimalAsr = R"({"targets": [{"model": "parakeet-ctc-1.1b", "kind": "riva_asr",
  "endpoint": "localhost:50051", "modes": ["stream"], "concurrency": [1], "data": "speech.jsonl"}]})";

TEST_F(TargetsFile, FullNvcfTargetLoadsEveryField) {
  const auto targets = load(R"({
    "description": "Magpie on NVCF",
    "targets": [{
      "model": "Magpie", "profile": "bs64", "kind": "riva_tts", "endpoint": "grpc.nvcf.nvidia.com:443",
      "modes": ["stream", "batch"], "concurrency": [1, 8, 64], "requests_per_window": 256, "warmup_requests": 8,
      "data": "prompts.txt", "language_code": "en-US", "voice": "Magpie-Multilingual.EN-US.Aria",
      "sample_rate_hz": 44100, "tls": {"ca_file": "ca.pem", "server_name": "grpc.nvcf.nvidia.com"},
      "metadata": {"authorization": "Bearer ${NGC_API_KEY}", "function-id": "0149dedb-2be8-4195-b9a0-e57e0e14f972"},
      "max_message_bytes": 33554432, "deadline_ms": 30000, "channels": 8
    }]})");
  ASSERT_EQ(targets.size(), 1u);
  const auto& t = targets[0];
  EXPECT_EQ(t.model, "Magpie");
  EXPECT_EQ(t.profile, "bs64");
  EXPECT_EQ(t.kind, "riva_tts");
  ASSERT_NE(t.pipeline, nullptr);
  EXPECT_EQ(t.pipeline->family(), "TTS");
  const auto& tts = t.settings_as<RivaTtsTargetSettings>();
  EXPECT_EQ(t.endpoint, "grpc.nvcf.nvidia.com:443");
  EXPECT_EQ(t.modes, (std::vector<std::string>{"stream", "batch"}));
  EXPECT_EQ(t.concurrency, (std::vector<std::size_t>{1, 8, 64}));
  EXPECT_EQ(t.requests_for(64), 256u);
  EXPECT_EQ(t.warmup_requests, 8u);
  EXPECT_EQ(tts.data, dir_ / "prompts.txt") << "relative paths are resolved against the targets file";
  EXPECT_EQ(tts.voice, "Magpie-Multilingual.EN-US.Aria");
  EXPECT_EQ(tts.sample_rate_hz, 44100);
  EXPECT_TRUE(t.tls.enabled);
  EXPECT_EQ(t.tls.ca_file, dir_ / "ca.pem");
  EXPECT_EQ(t.tls.server_name, "grpc.nvcf.nvidia.com");
  ASSERT_EQ(t.metadata.size(), 2u);
  EXPECT_EQ(t.metadata[0], (std::pair<std::string, std::string>{"authorization", "Bearer nvapi-secret"}));
  EXPECT_EQ(t.metadata_as_written[0].second, "Bearer ${NGC_API_KEY}") << "reports show the template, not the key";
  EXPECT_EQ(t.metadata[1].first, "function-id");
  EXPECT_EQ(t.max_message_bytes, 33554432u);
  EXPECT_EQ(t.deadline, std::chrono::milliseconds(30000));
  EXPECT_EQ(t.channels, 8u);
}

TEST_F(TargetsFile, MinimalTargetGetsDefaults) {
  const auto targets = load(kMinimalAsr);
  ASSERT_EQ(targets.size(), 1u);
  const auto& t = targets[0];
  EXPECT_EQ(t.profile, "default");
  const auto& asr = t.settings_as<RivaAsrTargetSettings>();
  EXPECT_EQ(asr.chunk, std::chrono::milliseconds(160));
  EXPECT_TRUE(asr.interim_results);
  EXPECT_TRUE(asr.real_time);
  EXPECT_EQ(asr.language_code, "en-US");
  EXPECT_FALSE(t.tls.enabled);
  EXPECT_TRUE(t.metadata.empty());
  EXPECT_EQ(t.requests_for(1), 5u);
  EXPECT_EQ(t.requests_for(16), 32u);
  EXPECT_EQ(t.gpu_metrics.source, GpuMetricsSettings::Source::kNvml);
  EXPECT_EQ(t.gpu_metrics.interval, std::chrono::milliseconds(500));
}

TEST_F(TargetsFile, AGroupOfInstancesListsItsEndpoints) {
  std::string json = kMinimalAsr;
  json.replace(json.find(R"("endpoint": "localhost:50051")"), 29, R"("endpoints": ["mig-0:50051", "mig-1:50051"])");
  const auto t = load(json).at(0);
  EXPECT_EQ(t.endpoints, (std::vector<std::string>{"mig-0:50051", "mig-1:50051"}));
  EXPECT_EQ(t.endpoint, "mig-0:50051");
  EXPECT_EQ(load(kMinimalAsr).at(0).endpoints, std::vector<std::string>{"localhost:50051"});
}

TEST_F(TargetsFile, GpuMetricsFromARemoteEndpoint) {
  std::string json = kMinimalAsr;
  json.replace(json.find(R"("data")"), 6,
               R"("gpu_metrics": {"source": "triton", "url": "http://riva-host:8002/metrics", "interval_ms": 100}, "data")");
  const auto t = load(json).at(0);
  EXPECT_EQ(t.gpu_metrics.source, GpuMetricsSettings::Source::kTriton);
  EXPECT_EQ(t.gpu_metrics.url, "http://riva-host:8002/metrics");
  EXPECT_EQ(t.gpu_metrics.interval, std::chrono::milliseconds(100));
}

TEST_F(TargetsFile, TlsTrueMeansSystemRootsAndEmbeddedNeedsNoHost) {
  auto targets = load(R"({"targets": [
    {"model": "m", "kind": "riva_asr", "endpoint": "asr.example.com:443", "tls": true,
     "modes": ["offline"], "concurrency": [4], "data": "speech.jsonl", "chunk_ms": 100},
    {"model": "espeak-ng", "profile": "bs8", "kind": "riva_tts", "endpoint": "embedded",
     "modes": ["stream"], "concurrency": [1, 16], "data": "prompts.txt"}]})");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_TRUE(targets[0].tls.enabled);
  EXPECT_TRUE(targets[0].tls.ca_file.empty());
  EXPECT_EQ(targets[0].settings_as<RivaAsrTargetSettings>().chunk, std::chrono::milliseconds(100));
  EXPECT_TRUE(targets[1].embedded());
}

struct BadCase {
  const char* replace;  // text in kMinimalAsr
  const char* with;
  const char* message;  // must appear in the error
};

TEST_F(TargetsFile, BadFilesNameTheFieldAndWhatIsWrong) {
  const BadCase cases[] = {
      {R"("kind": "riva_asr")", R"("kind": "riva_llm")", "targets[0].kind: 'riva_llm' is not one of riva_asr, riva_tts"},
      {R"("model": "parakeet-ctc-1.1b", )", "", "targets[0].model: missing (required)"},
      {R"("parakeet-ctc-1.1b")", R"("parakeet/ctc")", "targets[0].model: 'parakeet/ctc' may hold only"},
      {R"("localhost:50051")", R"("localhost")", "targets[0].endpoint: 'localhost' must be host:port"},
      {R"(["stream"])", R"(["stream", "batch"])", "targets[0].modes: 'batch' is not a mode of riva_asr"},
      {R"("concurrency": [1])", R"("concurrency": [0])", "targets[0].concurrency[0]: 0 is out of range"},
      {R"("concurrency": [1])", R"("concurrency": [4, 4])", "targets[0].concurrency: 4 is listed twice"},
      {R"("concurrency": [1])", R"("concurrency": "1")", "targets[0].concurrency: must be a non-empty array"},
      {R"("speech.jsonl")", R"("missing.jsonl")", "targets[0].data: file"},
      {R"("data")", R"("voice": "x", "data")", "targets[0].voice: applies to riva_tts, http_speech targets only"},
      {R"("data")", R"("concurency": [2], "data")", "targets[0].concurency: unknown field"},
      {R"("data")", R"("metadata": {"authorization": "Bearer ${NVIDIA_API_KEY}"}, "data")",
       "targets[0].metadata.authorization: environment variable NVIDIA_API_KEY is not set"},
      {R"("data")", R"("metadata": {"Function-ID": "x"}, "data")", "targets[0].metadata.Function-ID: header names"},
      {R"("data")", R"("tls": {"ca_file": "nope.pem"}, "data")", "targets[0].tls.ca_file: file"},
      {R"("data")", R"("tls": {"client_key": "ca.pem"}, "data")", "client_cert and client_key go together"},
      {R"("data")", R"("deadline_ms": -5, "data")", "targets[0].deadline_ms: -5 is out of range"},
      {R"("data")", R"("interim_results": "yes", "data")", "targets[0].interim_results: must be true or false"},
      {R"("endpoint": "localhost:50051")", R"("endpoints": ["localhost:50051"])",
       "targets[0].endpoints: must be an array of at least two endpoints"},
      {R"("endpoint": "localhost:50051")", R"("endpoints": ["a:1", "a:1"])", "targets[0].endpoints[1]: 'a:1' is listed twice"},
      {R"("endpoint": "localhost:50051")", R"("endpoints": ["a:1", "embedded"])", "targets[0].endpoints: all embedded or none"},
      {R"("endpoint": "localhost:50051")", R"("endpoints": ["a:1", "b"])", "targets[0].endpoints[1]: 'b' must be host:port"},
      {R"("data")", R"("gpu_metrics": {"source": "smi"}, "data")",
       "targets[0].gpu_metrics.source: 'smi' is not one of nvml, triton, dcgm, none"},
      {R"("data")", R"("gpu_metrics": {"source": "dcgm"}, "data")",
       "targets[0].gpu_metrics.url: required for source dcgm (e.g. http://host:9400/metrics)"},
      {R"("data")", R"("gpu_metrics": {"source": "triton", "url": "gpu-host:8002/metrics"}, "data")",
       "targets[0].gpu_metrics.url: 'gpu-host:8002/metrics' must start with http://"},
      {R"("data")", R"("gpu_metrics": {"source": "nvml", "url": "http://x/metrics"}, "data")",
       "targets[0].gpu_metrics.url: only the triton and dcgm sources read a URL"},
  };
  for (const auto& c : cases) {
    std::string json = kMinimalAsr;
    const auto at = json.find(c.replace);
    ASSERT_NE(at, std::string::npos) << c.replace;
    json.replace(at, std::string(c.replace).size(), c.with);
    const std::string message = error_of(json);
    EXPECT_NE(message.find("targets.json: "), std::string::npos) << "names the file: " << message;
    EXPECT_NE(message.find(c.message), std::string::npos) << "expected '" << c.message << "' in: " << message;
  }
}

TEST_F(TargetsFile, WholeFileProblems) {
  EXPECT_NE(error_of("{\"targets\": [").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("[]").find("must be an object"), std::string::npos);
  EXPECT_NE(error_of("{\"targets\": []}").find("targets: must be a non-empty array"), std::string::npos);
  EXPECT_NE(error_of("{\"target\": []}").find("targets: missing"), std::string::npos);
  std::string twice = kMinimalAsr;
  const auto target = twice.substr(twice.find('{', 1), twice.rfind('}') - twice.find('{', 1) - 1);
  twice = "{\"targets\": [" + target + ", " + target + "]}";
  EXPECT_NE(error_of(twice).find("targets[1]: another target has the same kind, model and profile"), std::string::npos)
      << error_of(twice);
  EXPECT_THROW(load_targets(dir_ / "absent.json"), InputError);
}

TEST(DefaultTargets, TheCommittedSweepLoads) {
  const auto targets = load_targets(std::filesystem::path(VOXPERF_SOURCE_DIR) / "targets/refserver.json");
  ASSERT_EQ(targets.size(), 3u);
  for (const auto& target : targets) EXPECT_TRUE(target.embedded()) << target.model;
  EXPECT_EQ(targets[1].profile, "bs8");
  EXPECT_EQ(targets[2].profile, "bs64");
  const auto triton = load_targets(std::filesystem::path(VOXPERF_SOURCE_DIR) / "targets/triton-streaming.json");
  ASSERT_EQ(triton.size(), 1u);
  EXPECT_EQ(triton[0].kind, "kserve_stream");
  EXPECT_TRUE(triton[0].embedded());
  EXPECT_FALSE(triton[0].request_rate.empty());
}

TEST_F(TargetsFile, OpenAiChatTargetReadsHeadersSloAndTokenPairs) {
  write("corpus.txt", "some words to cut prompts from");
  const auto targets = load(R"({"targets": [{"model": "llama", "model_name": "meta/llama-3.1-8b-instruct",
    "kind": "openai_chat", "endpoint": "https://integrate.api.nvidia.com", "modes": ["chat", "completions"],
    "concurrency": [10], "corpus": "corpus.txt", "token_pairs": [[100, 300], [1000, 200]],
    "headers": {"Authorization": "Bearer ${NGC_API_KEY}"}, "slo": {"ttft_ms": 500, "itl_ms": 50},
    "extra_body": {"temperature": 0}, "http2": true}]})");
  const Target& t = targets.at(0);
  EXPECT_EQ(t.modes, (std::vector<std::string>{"chat-isl100-osl300", "chat-isl1000-osl200", "completions-isl100-osl300",
                                               "completions-isl1000-osl200"}));
  EXPECT_EQ(t.metadata.at(0), (std::pair<std::string, std::string>{"Authorization", "Bearer nvapi-secret"}));
  EXPECT_EQ(t.metadata_as_written.at(0).second, "Bearer ${NGC_API_KEY}");
  EXPECT_EQ(t.slo.ttft_ms, 500.0);
  EXPECT_EQ(t.slo.itl_ms, 50.0);
  const auto& s = t.settings_as<OpenAiChatSettings>();
  EXPECT_EQ(s.model_name, "meta/llama-3.1-8b-instruct");
  EXPECT_TRUE(s.http2);
  EXPECT_TRUE(s.stream);
  EXPECT_EQ(s.extra_body["temperature"], 0);
}

TEST_F(TargetsFile, OpenAiChatMistakesNameTheField) {
  write("corpus.txt", "words");
  const std::string head = R"({"targets": [{"model": "m", "kind": "openai_chat", "endpoint": "localhost:8000",
    "modes": ["chat"], "concurrency": [1], )";
  EXPECT_NE(error_of(head + R"("input_tokens_mean": 5}]})").find("targets[0].corpus: give one of corpus"), std::string::npos);
  EXPECT_NE(error_of(head + R"("corpus": "corpus.txt", "token_pairs": [[1]]}]})").find("targets[0].token_pairs[0]: must be [input tokens, output tokens]"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("corpus": "corpus.txt", "slo": {"ttft": 5}}]})").find("targets[0].slo.ttft: is not a bound"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("corpus": "corpus.txt", "metadata": {"a": "b"}}]})").find("HTTP targets name their headers \"headers\""),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("corpus": "corpus.txt", "chunk_ms": 5}]})").find("applies to riva_asr"), std::string::npos);
  const std::string grpc = R"({"targets": [{"model": "m", "kind": "riva_asr", "endpoint": "http://x:1", "modes": ["stream"],
    "concurrency": [1], "data": "speech.jsonl"}]})";
  EXPECT_NE(error_of(grpc).find("must be host:port, without a scheme"), std::string::npos) << error_of(grpc);
}

TEST(ExampleTargets, TheLlmExamplesLoad) {
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name == "NGC_API_KEY") return "nvapi-example";
    return std::nullopt;
  };
  const auto dir = std::filesystem::path(VOXPERF_SOURCE_DIR) / "targets";
  const auto nim = load_targets(dir / "examples/nim-nvcf-llm.json", lookup);
  EXPECT_EQ(nim.at(0).endpoint, "https://integrate.api.nvidia.com");
  EXPECT_EQ(nim.at(0).settings_as<OpenAiChatSettings>().model_name, "meta/llama-3.1-8b-instruct");
  const auto vllm = load_targets(dir / "examples/vllm-local.json", lookup);
  EXPECT_EQ(vllm.at(0).modes.size(), 3u);
  const auto llm = load_targets(dir / "llm.json", lookup);
  EXPECT_EQ(llm.at(0).concurrency, (std::vector<std::size_t>{1, 4, 10, 32}));
  EXPECT_TRUE(llm.at(0).embedded());
}

TEST(ExampleTargets, TheHttpSpeechExamplesLoad) {
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name == "OPENAI_API_KEY") return "sk-example";
    return std::nullopt;
  };
  const auto dir = std::filesystem::path(VOXPERF_SOURCE_DIR) / "targets";
  const auto whisper = load_targets(dir / "examples/whisper-cpp.json", lookup);
  const auto& w = whisper.at(0).settings_as<HttpTranscriptionSettings>();
  EXPECT_EQ(w.path, "/inference");
  EXPECT_TRUE(w.model_name.empty()) << "whisper.cpp's /inference has no model field";
  const auto openai = load_targets(dir / "examples/openai-speech.json", lookup);
  EXPECT_EQ(openai.at(1).settings_as<HttpSpeechSettings>().sample_rate_hz, 24000);
  const auto cosy = load_targets(dir / "examples/cosyvoice-fastapi.json", lookup);
  const auto& c = cosy.at(0).settings_as<HttpSpeechSettings>();
  EXPECT_EQ(c.path, "/inference_sft");
  EXPECT_EQ(c.sample_rate_hz, 24000);
  const auto sweep = load_targets(dir / "http-speech.json", lookup);
  EXPECT_EQ(sweep.at(0).concurrency, (std::vector<std::size_t>{4, 16, 64, 128}));
  EXPECT_EQ(sweep.at(3).settings_as<HttpSpeechSettings>().sample_rate_hz, 22050);
}

TEST(TargetsFileHttp, HttpSpeechFieldsAreChecked) {
  const auto dir = std::filesystem::temp_directory_path() / ("voxperf-http-speech-fields-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "p.txt") << "hello there\n";
  auto error_for = [&](const std::string& target) {
    std::ofstream(dir / "t.json") << R"({"targets": [)" + target + "]}";
    try {
      load_targets(dir / "t.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string base = R"("model": "m", "endpoint": "http://h:1", "concurrency": [1], "data": "p.txt")";
  EXPECT_NE(error_for("{" + base + R"(, "kind": "http_speech", "modes": ["audio"], "response_format": "mp3"})")
                .find("targets[0].response_format: 'mp3' can not be timed"), std::string::npos);
  EXPECT_NE(error_for("{" + base + R"(, "kind": "http_speech", "modes": ["audio"], "dialect": "piper"})")
                .find("targets[0].dialect: 'piper': use openai or cosyvoice"), std::string::npos);
  EXPECT_NE(error_for("{" + base + R"(, "kind": "http_speech", "modes": ["audio"], "dialect": "cosyvoice", "speed": 2})")
                .find("targets[0].speed: applies to the openai dialect"), std::string::npos);
  EXPECT_NE(error_for("{" + base + R"(, "kind": "http_transcription", "modes": ["upload"], "response_format": "srt"})")
                .find("targets[0].response_format: 'srt' is not read here"), std::string::npos);
  EXPECT_NE(error_for("{" + base + R"(, "kind": "http_transcription", "modes": ["upload"], "path": "inference"})")
                .find("targets[0].path: must start with '/'"), std::string::npos);
  EXPECT_NE(error_for("{" + base + R"(, "kind": "http_transcription", "modes": ["upload"], "form": {"x": [1]}})")
                .find("targets[0].form.x: must be a string, number or boolean"), std::string::npos);
}

TEST(ExpandEnvironment, ReplacesVariablesAndNeverEchoesValues) {
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name == "KEY") return "s3cret";
    return std::nullopt;
  };
  EXPECT_EQ(expand_environment("Bearer ${KEY}", lookup, "f"), "Bearer s3cret");
  EXPECT_EQ(expand_environment("a $KEY ${KEY}${KEY}", lookup, "f"), "a $KEY s3crets3cret");
  EXPECT_THROW(expand_environment("${KEY", lookup, "f"), InputError);
  EXPECT_THROW(expand_environment("${1X}", lookup, "f"), InputError);
  try {
    expand_environment("${KEY} ${MISSING}", lookup, "targets.json: targets[0].metadata.authorization");
    FAIL() << "no error for an unset variable";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()),
              "targets.json: targets[0].metadata.authorization: environment variable MISSING is not set");
  }
}

}  // namespace
}  // namespace voxperf

namespace voxperf {
namespace {

const char* kTriton = R"({"targets": [{"model": "streaming_acoustic", "kind": "kserve_stream",
  "endpoint": "triton:8001", "modes": ["stream", "infer"], "request_rate": [2048, 2304.5],
  "distribution": "poisson", "data": "speech.jsonl", "input": {"name": "AUDIO_SIGNAL", "datatype": "INT16",
  "shape": [1, -1]}, "chunk_ms": 300, "sequence_length": 50, "sequence_length_variation": 10,
  "num_sequences": 64, "model_name": "conformer_streaming"}]})";

TEST_F(TargetsFile, KServeStreamTargetWithRequestRates) {
  const auto targets = load(kTriton);
  ASSERT_EQ(targets.size(), 1u);
  const auto& t = targets[0];
  EXPECT_TRUE(t.concurrency.empty());  // open loop only
  EXPECT_EQ(t.request_rate, (std::vector<double>{2048, 2304.5}));
  EXPECT_TRUE(t.poisson);
  EXPECT_EQ(t.requests_for_rate(2048), 4096u);  // two seconds of arrivals by default
  const auto& s = t.settings_as<KServeStreamSettings>();
  EXPECT_EQ(s.model_name, "conformer_streaming");
  EXPECT_EQ(s.input.name, "AUDIO_SIGNAL");
  EXPECT_EQ(s.input.datatype, "INT16");
  EXPECT_EQ(s.output.name, "TRANSCRIPT");  // the default
  EXPECT_EQ(s.chunk_samples(), 4800u);
  EXPECT_EQ(s.sequence_length, 50u);
  EXPECT_DOUBLE_EQ(s.sequence_length_variation, 10.0);
  EXPECT_EQ(s.num_sequences, 64u);
}

TEST_F(TargetsFile, PerfAnalyzerMeasurementFields) {
  std::string json = kTriton;
  json.replace(json.find("\"chunk_ms\": 300"), 15,
               "\"chunk_ms\": 300, \"measurement_mode\": \"time_windows\", \"window_ms\": 2000, "
               "\"stability_percent\": 100, \"max_windows\": 6, \"latency_threshold_ms\": 100");
  const auto t = load(json).front();
  EXPECT_TRUE(t.time_windows);
  EXPECT_EQ(t.window, std::chrono::milliseconds(2000));
  EXPECT_EQ(t.stability.percent, 100.0);
  EXPECT_EQ(t.stability.max_windows, 6u);
  EXPECT_EQ(t.stability.latency_threshold_ms, 100.0);
  EXPECT_FALSE(load(kMinimalAsr).front().stability.percent.has_value());  // one window unless asked

  auto with = [](const std::string& extra) {
    std::string text = kTriton;
    text.replace(text.find("\"chunk_ms\": 300"), 15, "\"chunk_ms\": 300, " + extra);
    return text;
  };
  EXPECT_NE(error_of(with("\"max_windows\": 5")).find("targets[0].max_windows: applies with stability_percent only"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"window_ms\": 500")).find("targets[0].window_ms: applies to"), std::string::npos);
  EXPECT_NE(error_of(with("\"measurement_mode\": \"windows\"")).find(
                "targets[0].measurement_mode: 'windows' is neither count_windows nor time_windows"),
            std::string::npos);
}

TEST_F(TargetsFile, KServeStreamErrorsNameTheField) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string json = kTriton;
    json.replace(json.find(from), from.size(), to);
    return json;
  };
  EXPECT_NE(error_of(with("\"distribution\": \"poisson\"", "\"distribution\": \"bursty\"")).find(
                "targets[0].distribution: 'bursty' is neither constant nor poisson"),
            std::string::npos);
  EXPECT_NE(error_of(with("[2048, 2304.5]", "[0]")).find("targets[0].request_rate[0]: 0 is out of range"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"INT16\"", "\"FP16\"")).find(
                "targets[0].input.datatype: 'FP16' can not carry audio here (FP32 or INT16)"),
            std::string::npos);
  EXPECT_NE(error_of(with("[1, -1]", "[-1, -1]")).find("targets[0].input.shape: at most one -1"), std::string::npos);
  EXPECT_NE(error_of(with("\"chunk_ms\": 300", "\"chunk_ms\": 300, \"voice\": \"x\"")).find(
                "targets[0].voice: applies to riva_tts, http_speech targets only"),
            std::string::npos);
  EXPECT_NE(error_of(with("\"modes\": [\"stream\", \"infer\"]", "\"modes\": [\"batch\"]")).find(
                "'batch' is not a mode of kserve_stream (stream, infer)"),
            std::string::npos);
}

TEST_F(TargetsFile, SlaBoundsAndSearchRange) {
  const auto targets = load(R"({"targets": [{"model": "m", "kind": "riva_tts", "endpoint": "embedded",
    "modes": ["stream", "batch"], "data": "prompts.txt",
    "sla": {"ttfa_p99_ms": 500, "throughput_rps": {"min": 2.5}}, "sla_search": {"min": 2, "max": 64, "tail_samples": 5}}]})");
  const Target& t = targets.at(0);
  EXPECT_TRUE(t.concurrency.empty());  // the search finds it: no c:N cases needed
  ASSERT_EQ(t.sla.bounds.size(), 2u);
  EXPECT_EQ(t.sla.bounds[0].text(), "throughput_rps >= 2.5");
  EXPECT_EQ(t.sla.bounds[1].text(), "ttfa_p99_ms <= 500");
  ASSERT_TRUE(t.sla.search);
  EXPECT_EQ(t.sla.search->min, 2u);
  EXPECT_EQ(t.sla.search->max, 64u);
  EXPECT_EQ(t.sla.search->tail_samples, 5u);
}

TEST_F(TargetsFile, SlaMistakesNameTheField) {
  const std::string head = R"({"targets": [{"model": "m", "kind": "riva_tts", "endpoint": "embedded", "modes": ["stream", "batch"],
    "data": "prompts.txt", "concurrency": [1], )";
  // inter_chunk_mean_ms is a stream counter only: a bound must hold in every mode the target lists.
  EXPECT_NE(error_of(head + R"("sla": {"inter_chunk_mean_ms": 5}, "sla_search": {}}]})")
                .find("targets[0].sla.inter_chunk_mean_ms: is not a counter of riva_tts cases in mode batch"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {"ttfb_p95_ms": 5}, "sla_search": {}}]})").find("targets[0].sla.ttfb_p95_ms: is not a counter"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {"ttfa_mean_ms": 5}}]})").find("targets[0].sla: needs \"sla_search\""), std::string::npos);
  EXPECT_NE(error_of(head + R"("sla_search": {"max": 8}}]})").find("targets[0].sla_search: needs \"sla\""), std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {"ttfa_mean_ms": 5}, "sla_search": {"min": 16, "max": 8}}]})")
                .find("targets[0].sla_search.max: is below min (16)"), std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {"ttfa_mean_ms": {"below": 5}}, "sla_search": {}}]})").find("targets[0].sla.ttfa_mean_ms.below"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {"ttfa_mean_ms": "fast"}, "sla_search": {}}]})").find("targets[0].sla.ttfa_mean_ms"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {}, "sla_search": {}}]})").find("targets[0].sla: must be an object of bounds"),
            std::string::npos);
  EXPECT_NE(error_of(head + R"("sla": {"ttfa_mean_ms": 5}, "sla_search": {"min": 0}}]})").find("targets[0].sla_search.min"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"targets": [{"model": "m", "kind": "riva_tts", "endpoints": ["a:1", "b:1"], "modes": ["batch"],
    "data": "prompts.txt", "sla": {"ttfa_mean_ms": 5}, "sla_search": {}}]})").find("targets[0].sla_search: searches one instance"),
            std::string::npos);
}

// Paced streams ramp their starts over one chunk period and are held to a tenth of it, unless told otherwise.
TEST_F(TargetsFile, PacedStreamsRampOverAChunkAndHaveALagBudget) {
  using bench::CaseName;
  const auto paced = load(kMinimalAsr).front();
  CaseName stream{"ASR", "m", "default", "stream", 100};
  CaseName offline{"ASR", "m", "default", "offline", 100};
  EXPECT_EQ(bench::window_spec(paced, stream).ramp, std::chrono::milliseconds(160));
  EXPECT_EQ(bench::window_spec(paced, offline).ramp, Nanos::zero()) << "nothing paced: no ramp";
  WindowMetrics m;
  m.chunk_period_ms = 160;
  EXPECT_DOUBLE_EQ(bench::chunk_lag_budget_ms(paced, m), 16.0);

  std::string json = kMinimalAsr;
  json.replace(json.find("\"concurrency\""), 13, "\"ramp_ms\": 0, \"chunk_lag_budget_ms\": 2.5, \"concurrency\"");
  const auto told = load(json).front();
  EXPECT_EQ(bench::window_spec(told, stream).ramp, Nanos::zero());
  EXPECT_DOUBLE_EQ(bench::chunk_lag_budget_ms(told, m), 2.5);
  json.replace(json.find("\"ramp_ms\": 0"), 12, "\"ramp_ms\": -1");
  EXPECT_NE(error_of(json).find("targets[0].ramp_ms"), std::string::npos) << error_of(json);

  // A level over its budget says so where a user looks first: the case's label.
  m.chunk_lag.record(std::chrono::milliseconds(40));
  m.chunk_lag_budget_ms = 16;
  m.over_chunk_lag_budget = true;
  const std::string label = bench::case_label(m, paced);
  EXPECT_NE(label.find("CLIENT BEHIND: chunk lag P99 40.00 ms over the budget of 16.00 ms"), std::string::npos) << label;
}

}  // namespace
}  // namespace voxperf
