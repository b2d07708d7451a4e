#include "harness/pipelines/kserve_stream/kserve_infer_client.h"

#include "harness/pipelines/kserve_stream/infer_request.h"

namespace voxperf {

using inference::ModelInferRequest;
using inference::ModelInferResponse;

class KServeInferClient::Unary final : public Call, public std::enable_shared_from_this<Unary> {
 public:
  Unary(KServeInferClient& client, std::size_t slot, ModelInferRequest request, RequestRecord* record,
        std::function<void()> done)
      : client_(client), slot_(slot), request_(std::move(request)), record_(record), done_(std::move(done)) {
    apply_call_settings(client.call_, context_);
  }

  void start() override {
    auto self = shared_from_this();  // until the callback ran
    if (record_) record_->sent = client_.clock_.now();
    // mutable: finish() takes the capture itself, so the call is gone before done() returns; held(): the pool
    // outlives gRPC's own hold on the call (ChannelPool::held).
    auto& stubs = client_.stubs_;
    auto on_done = [this, self = std::move(self)](grpc::Status status) mutable {
      const TimePoint at = client_.clock_.now();
      if (record_) {
        if (status.ok()) {
          bool final_response = true;
          record_->responses.push_back(response_event(response_, client_.settings_.output.name, at, final_response));
        }
        record_->end = at;
        record_->status = to_status(status);
      }
      client_.released(slot_);
      auto done = std::move(done_);
      finish(std::move(self), std::move(done));
    };
    stubs.next().async()->ModelInfer(&context_, &request_, &response_, stubs.held(std::move(on_done)));
  }

  void cancel() override { context_.TryCancel(); }

 private:
  KServeInferClient& client_;
  const std::size_t slot_;
  ModelInferRequest request_;
  ModelInferResponse response_;
  grpc::ClientContext context_;
  RequestRecord* record_;
  std::function<void()> done_;
};

KServeInferClient::KServeInferClient(ChannelPool& channels, const KServeStreamSettings& settings,
                                     std::span<const Utterance> utterances, CaseLoad load,
                                     std::atomic<std::int64_t>& next_sequence_id, CallSettings call,
                                     const Clock& clock)
    : stubs_(channels), settings_(settings), utterances_(utterances), load_(load),
      next_sequence_id_(next_sequence_id), call_(std::move(call)), clock_(clock),
      plan_(settings.sequence_length, settings.sequence_length_variation, /*seed=*/1) {}

void KServeInferClient::released(std::size_t slot) {
  std::lock_guard lock(mutex_);
  --slots_[slot].in_flight;
  --in_flight_;
  idle_.notify_all();
}

std::shared_ptr<Call> KServeInferClient::prepare(RequestRecord& record, std::function<void()> done) {
  std::lock_guard lock(mutex_);
  const std::size_t index = next_slot(load_.model, settings_.num_sequences, round_robin_, slots_.size(),
                                      [&](std::size_t k) { return slots_[k].in_flight == 0; });
  if (index >= slots_.size()) slots_.resize(index + 1);
  Slot& slot = slots_[index];
  if (!slot.sequence.live()) {
    slot.sequence = Sequence(next_sequence_id_++, plan_.next_length());
    slot.sequence.ordinal = sequences_started_++;
  }
  const SequenceStep step = slot.sequence.next();
  const auto chunk = sequence_chunk(utterances_, slot.sequence.ordinal, step.position, settings_.chunk_samples());
  describe_request(record, utterances_, slot.sequence.ordinal, step, chunk.size(), settings_.sample_rate_hz);
  ++slot.in_flight;
  ++in_flight_;
  return std::make_shared<Unary>(*this, index, infer_request(settings_, request_id(index, record.index), step, chunk),
                                 &record, std::move(done));
}

KServeInferClient::~KServeInferClient() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return in_flight_ == 0; });
  std::size_t closing = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    auto& slot = slots_[i];
    if (!slot.sequence.live()) continue;
    SequenceStep step = slot.sequence.next();
    step.end = true;
    const auto chunk = sequence_chunk(utterances_, slot.sequence.ordinal, step.position, settings_.chunk_samples());
    ++slot.in_flight;
    ++in_flight_;
    auto call = std::make_shared<Unary>(*this, i, infer_request(settings_, "close-" + std::to_string(closing++), step, chunk),
                                        nullptr, [] {});
    lock.unlock();
    call->start();
    lock.lock();
  }
  idle_.wait(lock, [this] { return in_flight_ == 0; });
}

}  // namespace voxperf
