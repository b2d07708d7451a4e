#include "harness/pipelines/kserve_stream/kserve_pipeline.h"

#include <google/protobuf/util/json_util.h>

#include "harness/grpc/target_channels.h"
#include "harness/input_error.h"
#include "harness/pipelines/common_counters.h"
#include "harness/pipelines/kserve_stream/error_class.h"
#include "harness/pipelines/kserve_stream/kserve_infer_client.h"
#include "harness/pipelines/kserve_stream/kserve_stream_client.h"
#include "harness/pipelines/kserve_stream/model_check.h"
#include "harness/pipelines/kserve_stream/server_statistics.h"
#include "harness/targets/fields.h"

namespace voxperf {
namespace {

using inference::GRPCInferenceService;

// A unary call of the target's with a short deadline and its metadata (health, metadata, statistics).
grpc::ClientContext* prepare_context(grpc::ClientContext& context, const Target& target) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  for (const auto& [key, value] : target.metadata) context.AddMetadata(key, value);
  return &context;
}

std::string json_text(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  return text;
}

// Asks one of the unary questions about the target's model (ModelMetadata, ModelConfig, ModelStatistics).
template <class Request, class Response>
grpc::Status ask_about_model(GRPCInferenceService::Stub& stub,
                             grpc::Status (GRPCInferenceService::Stub::*method)(grpc::ClientContext*, const Request&,
                                                                                Response*),
                             const Target& target, const KServeStreamSettings& settings, Response& response) {
  grpc::ClientContext context;
  Request request;
  request.set_name(settings.model_name);
  request.set_version(settings.model_version);
  return (stub.*method)(prepare_context(context, target), request, &response);
}

// The model's statistics now, or nothing when the server does not keep them (or did not answer).
std::optional<inference::ModelStatistics> model_statistics(GRPCInferenceService::Stub& stub, const Target& target,
                                                           const KServeStreamSettings& settings) {
  inference::ModelStatisticsResponse response;
  if (!ask_about_model(stub, &GRPCInferenceService::Stub::ModelStatistics, target, settings, response).ok()) {
    return std::nullopt;
  }
  for (const auto& stats : response.model_stats()) {
    if (stats.name() == settings.model_name) return stats;
  }
  return std::nullopt;
}

class StatisticsWindow final : public ServerWindow {
 public:
  StatisticsWindow(std::unique_ptr<GRPCInferenceService::Stub> stub, const Target& target,
                   const KServeStreamSettings& settings)
      : stub_(std::move(stub)), target_(target), settings_(settings),
        before_(model_statistics(*stub_, target, settings)) {}

  std::map<std::string, double> end() override {
    if (!before_) return {};
    const auto after = model_statistics(*stub_, target_, settings_);
    if (!after) return {};
    return server_breakdown(*before_, *after);
  }

 private:
  std::unique_ptr<GRPCInferenceService::Stub> stub_;
  const Target& target_;
  const KServeStreamSettings& settings_;
  std::optional<inference::ModelStatistics> before_;
};

double server_figure(const WindowMetrics& m, const char* name) {
  auto it = m.server.find(name);
  return it == m.server.end() ? NAN : it->second;
}

}  // namespace

KServeStreamTarget::KServeStreamTarget(const Target& target, std::unique_ptr<ChannelPool> channels,
                                       std::vector<Utterance> data)
    : target_(target), settings_(target.settings_as<KServeStreamSettings>()), utterances_(std::move(data)),
      channels_(std::move(channels)), next_sequence_id_(settings_.sequence_id_start) {}

std::unique_ptr<RequestClient> KServeStreamTarget::client(const std::string& mode, const CaseLoad& load,
                                                          TimerQueue& timers, const Clock& clock) {
  (void)timers;
  if (mode == "stream") {
    return std::make_unique<KServeStreamClient>(*channels_, settings_, utterances_, load, next_sequence_id_,
                                                call_settings(target_), clock);
  }
  return std::make_unique<KServeInferClient>(*channels_, settings_, utterances_, load, next_sequence_id_,
                                             call_settings(target_), clock);
}

std::unique_ptr<ServerWindow> KServeStreamTarget::server_window(const std::string& mode) {
  (void)mode;
  return std::make_unique<StatisticsWindow>(GRPCInferenceService::NewStub(channels_->channel(0)), target_, settings_);
}

std::string KServeStreamTarget::server_config() {
  auto stub = GRPCInferenceService::NewStub(channels_->channel(0));
  inference::ModelConfigResponse response;
  const grpc::Status status =
      ask_about_model(*stub, &GRPCInferenceService::Stub::ModelConfig, target_, settings_, response);
  if (!status.ok()) {
    return nlohmann::json{{"error", std::string(status_code_name(status.error_code())) + ": " +
                                        status.error_message()}}.dump();
  }
  return json_text(response);
}

std::string KServeStreamTarget::check_model() {
  auto stub = GRPCInferenceService::NewStub(channels_->channel(0));
  inference::ModelMetadataResponse metadata;
  const grpc::Status status =
      ask_about_model(*stub, &GRPCInferenceService::Stub::ModelMetadata, target_, settings_, metadata);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND || status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return "model_name: the server at " + target_.endpoint + " does not serve model '" + settings_.model_name +
           "' (ModelMetadata: " + status.error_message() + ")";
  }
  if (!status.ok()) return "";  // unreachable or failing: its cases report it
  return voxperf::check_model(settings_, metadata);
}

std::vector<std::string> KServeStreamPipeline::fields() const { return kserve_stream_fields(); }

std::shared_ptr<const PipelineSettings> KServeStreamPipeline::parse(Fields& fields,
                                                                    const std::filesystem::path& base) const {
  return parse_kserve_stream(fields, *fields.string("model", true), base);
}

std::unique_ptr<PipelineTarget> KServeStreamPipeline::open(const Target& target, const std::string& address) const {
  const auto& settings = target.settings_as<KServeStreamSettings>();
  auto utterances = load_utterances(settings.data);
  for (const auto& utterance : utterances) {
    if (utterance.audio.sample_rate != settings.sample_rate_hz || utterance.audio.channels != 1) {
      throw InputError(settings.data.string() + ": " + utterance.id + " is " +
                       std::to_string(utterance.audio.sample_rate) + " Hz, " +
                       std::to_string(utterance.audio.channels) + " channel(s); model '" + settings.model_name +
                       "' takes mono " + std::to_string(settings.sample_rate_hz) + " Hz (sample_rate_hz)");
    }
  }
  auto opened = std::make_unique<KServeStreamTarget>(target, open_channels(target, address), std::move(utterances));
  if (auto problem = opened->check_model(); !problem.empty()) {
    throw InputError("targets: " + target.model + ": " + problem);
  }
  return opened;
}

std::vector<CounterSpec> KServeStreamPipeline::counters(const std::string& mode) const {
  (void)mode;
  std::vector<CounterSpec> out = {
      {"inferences_per_s", [](const WindowMetrics& m) { return m.throughput_rps; }},
      {"sequences_per_s", [](const WindowMetrics& m) { return m.sequences_per_second; }},
      // Seconds of speech per second: each inference carries one chunk, so this is inferences/s x chunk seconds.
      {"sps", [](const WindowMetrics& m) { return m.rtfx; }},
  };
  for (const char* name : {"server_queue_ms", "server_compute_input_ms", "server_compute_infer_ms",
                           "server_compute_output_ms", "server_compute_ms", "server_request_ms"}) {
    out.push_back({name, [name](const WindowMetrics& m) { return server_figure(m, name); }});
  }
  for (const std::string& error_class : kserve_error_classes()) {
    const std::string key = "kserve:" + error_class;
    out.push_back({"errors_" + error_class, [key](const WindowMetrics& m) {
                     auto it = m.errors_by_status.find(key);
                     return static_cast<double>(it == m.errors_by_status.end() ? 0 : it->second);
                   }});
  }
  return out;
}

std::vector<ColumnSpec> KServeStreamPipeline::columns(const std::string& mode) const {
  (void)mode;
  auto server_ms = [](const char* name) {
    return [name](const WindowMetrics& m) { return number_cell(server_figure(m, name), 2); };
  };
  return {
      {"Throughput (infer/s)", [](const WindowMetrics& m) { return number_cell(m.throughput_rps, 2); }},
      {"SPS", [](const WindowMetrics& m) { return number_cell(m.rtfx, 2); }},
      latency_mean_column(),
      latency_percentile_column(99),
      {"Server Queue (ms)", server_ms("server_queue_ms")},
      {"Server Compute (ms)", server_ms("server_compute_ms")},
      stable_column(),
  };
}

std::string KServeStreamPipeline::table_title(const std::string& mode) const {
  (void)mode;
  return "Inferences/Second vs. Client Average Batch Latency";
}

}  // namespace voxperf
