#include "server/acoustic_model.h"

#include <nlohmann/json.hpp>

#include "harness/pipelines/kserve_stream/tensor_codec.h"
#include "server/cpu_slowdown.h"

namespace voxperf::refserver {

using inference::ModelInferRequest;

// Cumulative, as Triton keeps them; ModelStatistics reports them and clients difference two readings.
struct AcousticModel::Stats {
  struct Duration {
    std::atomic<std::uint64_t> count{0}, ns{0};
    void add(Nanos d) {
      ++count;
      ns += static_cast<std::uint64_t>(std::max<std::int64_t>(0, d.count()));
    }
    void fill(inference::StatisticDuration& out) const {
      out.set_count(count);
      out.set_ns(ns);
    }
  };
  Duration success, fail, queue, compute_input, compute_infer, compute_output;
  std::atomic<std::uint64_t> inferences{0}, executions{0}, last_inference_ms{0};
};

struct AcousticModel::Sequence {
  explicit Sequence(WorkerPool& workers) : strand(Strand::create(workers)) {}
  std::shared_ptr<Strand> strand;    // one sequence's chunks reach its decoder in order
  DecoderPool::Lease decoder{nullptr, {nullptr}};  // taken by the first request, on a worker
  std::size_t in_flight = 0;         // guarded by the model's mutex
  TimePoint last_active{};           // arrival of its last request or end of its last answer
};

namespace {

std::string shape_text(const google::protobuf::RepeatedField<std::int64_t>& shape) {
  return nlohmann::json(std::vector<std::int64_t>(shape.begin(), shape.end())).dump();
}

InferOutcome refused(std::string message, grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT) {
  InferOutcome out;
  out.code = code;
  out.error = std::move(message);
  return out;
}

}  // namespace

AcousticModel::AcousticModel(const ServiceContext& context, WorkerPool& workers, SphinxModel model,
                             std::chrono::microseconds max_sequence_idle)
    : context_(context), workers_(workers), decoders_(std::move(model)),
      admission_(static_cast<std::size_t>(context.profile.max_batch)), max_sequence_idle_(max_sequence_idle),
      stats_(std::make_unique<Stats>()) {}

AcousticModel::~AcousticModel() = default;

void AcousticModel::metadata(inference::ModelMetadataResponse& out) const {
  out.set_name(kName);
  out.add_versions("1");
  out.set_platform("pocketsphinx");
  auto* input = out.add_inputs();
  input->set_name(kInput);
  input->set_datatype("FP32");
  input->add_shape(-1);  // the batch
  input->add_shape(-1);  // samples at 16 kHz
  auto* output = out.add_outputs();
  output->set_name(kOutput);
  output->set_datatype("BYTES");
  output->add_shape(-1);
  output->add_shape(1);
}

void AcousticModel::config(inference::ModelConfig& out) const {
  out.set_name(kName);
  out.set_platform("pocketsphinx");
  out.set_backend("voxperf-refserver");
  out.set_max_batch_size(context_.profile.max_batch);
  auto* input = out.add_input();
  input->set_name(kInput);
  input->set_data_type(inference::TYPE_FP32);
  input->add_dims(-1);
  auto* output = out.add_output();
  output->set_name(kOutput);
  output->set_data_type(inference::TYPE_STRING);
  output->add_dims(1);
  auto* sequence = out.mutable_sequence_batching();
  sequence->set_max_sequence_idle_microseconds(static_cast<std::uint64_t>(max_sequence_idle_.count()));
  sequence->mutable_oldest()->set_max_candidate_sequences(context_.profile.max_batch);
  using Control = inference::ModelSequenceBatching::Control;
  for (auto [name, kind] : {std::pair{"START", Control::CONTROL_SEQUENCE_START},
                            std::pair{"END", Control::CONTROL_SEQUENCE_END},
                            std::pair{"READY", Control::CONTROL_SEQUENCE_READY},
                            std::pair{"CORRID", Control::CONTROL_SEQUENCE_CORRID}}) {
    auto* control_input = sequence->add_control_input();
    control_input->set_name(name);
    auto* control = control_input->add_control();
    control->set_kind(kind);
    if (kind == Control::CONTROL_SEQUENCE_CORRID) {
      control->set_data_type(inference::TYPE_UINT64);
    } else {
      control->add_int32_false_true(0);
      control->add_int32_false_true(1);
    }
  }
}

void AcousticModel::statistics(inference::ModelStatistics& out) const {
  out.set_name(kName);
  out.set_version("1");
  out.set_last_inference(stats_->last_inference_ms);
  out.set_inference_count(stats_->inferences);
  out.set_execution_count(stats_->executions);
  auto* s = out.mutable_inference_stats();
  stats_->success.fill(*s->mutable_success());
  stats_->fail.fill(*s->mutable_fail());
  stats_->queue.fill(*s->mutable_queue());
  stats_->compute_input.fill(*s->mutable_compute_input());
  stats_->compute_infer.fill(*s->mutable_compute_infer());
  stats_->compute_output.fill(*s->mutable_compute_output());
}

std::size_t AcousticModel::live_sequences() const {
  std::lock_guard lock(mutex_);
  return sequences_.size();
}

std::string AcousticModel::check_input(const ModelInferRequest& request) const {
  const std::string model = kName;
  for (const auto& input : request.inputs()) {
    if (input.name() != kInput) return "unexpected inference input '" + input.name() + "' for model '" + model + "'";
  }
  if (request.inputs_size() != 1) {
    return "expected 1 inputs but got " + std::to_string(request.inputs_size()) + " inputs for model '" + model + "'";
  }
  const auto& input = request.inputs(0);
  if (input.datatype() != "FP32") {
    return "inference input '" + input.name() + "' data-type is '" + input.datatype() + "', but model '" + model +
           "' expects 'FP32'";
  }
  if (input.shape_size() != 2 || input.shape(1) < 1) {
    return "unexpected shape for input '" + input.name() + "' for model '" + model + "'. Expected [-1,-1], got " +
           shape_text(input.shape());
  }
  if (input.shape(0) != 1) {
    return "inference request to model '" + model + "' must specify batch-size 1 due to requirements of sequence batcher";
  }
  const std::size_t expected = static_cast<std::size_t>(input.shape(1)) * 4;
  const std::size_t got = request.raw_input_contents_size() == 1 ? request.raw_input_contents(0).size() : 0;
  if (got != expected) {
    return "unexpected total byte size " + std::to_string(got) + " for input '" + input.name() + "', expecting " +
           std::to_string(expected);
  }
  return "";
}

void AcousticModel::reap_idle(TimePoint now) {
  for (auto it = sequences_.begin(); it != sequences_.end();) {
    const bool idle = it->second->in_flight == 0 && now - it->second->last_active > max_sequence_idle_;
    it = idle ? sequences_.erase(it) : std::next(it);  // the decoder goes back with the last reference
  }
}

void AcousticModel::infer(const ModelInferRequest& request, std::function<void(InferOutcome)> answer) {
  const TimePoint arrived = context_.clock->now();
  auto refuse = [&](std::string message) {
    stats_->fail.add(Nanos::zero());
    answer(refused(std::move(message)));
  };
  const std::string model = kName;
  const auto& parameters = request.parameters();
  for (const char* flag : {"sequence_start", "sequence_end"}) {
    auto it = parameters.find(flag);
    if (it != parameters.end() && it->second.parameter_choice_case() != inference::InferParameter::kBoolParam) {
      return refuse(std::string("invalid value type for '") + flag + "' parameter, expected bool_param.");
    }
  }
  std::int64_t id = 0;
  if (auto it = parameters.find("sequence_id"); it != parameters.end()) {
    if (it->second.parameter_choice_case() != inference::InferParameter::kInt64Param) {
      return refuse("invalid value type for 'sequence_id' parameter, expected int64_param or string_param.");
    }
    id = it->second.int64_param();
  }
  auto flag = [&](const char* name) {
    auto it = parameters.find(name);
    return it != parameters.end() && it->second.bool_param();
  };
  const bool start = flag("sequence_start"), end = flag("sequence_end");
  if (id == 0) {
    return refuse("inference request to model '" + model + "' must specify a non-zero or non-empty correlation ID");
  }
  if (auto problem = check_input(request); !problem.empty()) return refuse(problem);

  std::shared_ptr<Sequence> sequence;
  {
    std::lock_guard lock(mutex_);
    reap_idle(arrived);
    auto it = sequences_.find(id);
    if (start) {
      // A START for a live id begins a new sequence under it; the old one's decoder goes back.
      sequence = std::make_shared<Sequence>(workers_);
      sequences_[id] = sequence;
    } else if (it == sequences_.end()) {
      sequence = nullptr;
    } else {
      sequence = it->second;
    }
    if (sequence) {
      ++sequence->in_flight;
      sequence->last_active = arrived;
      if (end) sequences_.erase(id);  // no later request may join it; queued ones still run on its strand
    }
  }
  if (!sequence) {
    return refuse("inference request for sequence " + std::to_string(id) + " to model '" + model +
                  "' must specify the START flag on the first request of the sequence");
  }
  admission_.enter([this, request, sequence, end, arrived, answer = std::move(answer)]() mutable {
    sequence->strand->post([this, request = std::move(request), sequence, end, arrived,
                            answer = std::move(answer)]() mutable {
      run(request, std::move(sequence), end, arrived, std::move(answer));
    });
  });
}

// On a worker, on the sequence's strand, holding an admission slot.
void AcousticModel::run(const ModelInferRequest& request, std::shared_ptr<Sequence> sequence, bool end,
                        TimePoint arrived, std::function<void(InferOutcome)> answer) {
  const auto& clock = *context_.clock;
  const TimePoint began = clock.now();
  const auto samples = decode_audio(request.raw_input_contents(0), "FP32");
  const TimePoint decoded = clock.now();
  std::string transcript;
  slowed(context_.faults.slowdown, [&] {
    if (!sequence->decoder) {  // its first request (a START always makes a new Sequence)
      sequence->decoder = decoders_.acquire();
      sequence->decoder->start();
    }
    sequence->decoder->process(samples);
    transcript = end ? sequence->decoder->finish() : sequence->decoder->partial();
  });
  if (end) sequence->decoder.reset();
  const TimePoint inferred = clock.now();

  InferOutcome outcome;
  auto& response = outcome.response;
  response.set_model_name(kName);
  response.set_model_version("1");
  response.set_id(request.id());
  auto* output = response.add_outputs();
  output->set_name(kOutput);
  output->set_datatype("BYTES");
  output->add_shape(1);
  output->add_shape(1);
  response.add_raw_output_contents(encode_bytes_elements({transcript}));
  const TimePoint answered = clock.now();

  stats_->queue.add(began - arrived);
  stats_->compute_input.add(decoded - began);
  stats_->compute_infer.add(inferred - decoded);
  stats_->compute_output.add(answered - inferred);
  stats_->success.add(answered - arrived);
  ++stats_->inferences;
  ++stats_->executions;
  stats_->last_inference_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  {
    std::lock_guard lock(mutex_);
    --sequence->in_flight;
    sequence->last_active = answered;
  }
  admission_.leave();
  answer(std::move(outcome));
}

}  // namespace voxperf::refserver
