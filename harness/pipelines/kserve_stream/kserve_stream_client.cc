#include "harness/pipelines/kserve_stream/kserve_stream_client.h"

#include <chrono>
#include <deque>
#include <map>

#include "harness/pipelines/kserve_stream/infer_request.h"

namespace voxperf {

using inference::ModelInferRequest;
using inference::ModelStreamInferResponse;

// One stream and the sequence it is in. Its mutex guards the write queue and the requests awaiting a
// response; the sequence itself is the client's (guarded by the client's mutex).
class KServeStreamClient::Slot final : public grpc::ClientBidiReactor<ModelInferRequest, ModelStreamInferResponse> {
 public:
  struct Pending {
    RequestRecord* record = nullptr;  // null: a request of the client's own (ending a sequence at close)
    std::function<void()> done;
  };

  Slot(KServeStreamClient& client, std::size_t index) : client_(client), index_(index) {
    for (const auto& [key, value] : client.call_.metadata) context_.AddMetadata(key, value);
    // No deadline: a stream lives as long as the client, across many requests and sequences.
    auto channel = client.channels_.channel(client.channels_.next_index());
    stub_ = inference::GRPCInferenceService::NewStub(channel);
    stub_->async()->ModelStreamInfer(&context_, this);
    AddHold();  // requests are written from any thread, at any time, until close()
    StartRead(&response_);
    StartCall();
  }

  Sequence sequence;  // guarded by the client's mutex

  std::size_t index() const { return index_; }
  // Requests prepared for this slot and not yet answered. Counted from prepare(), not from the write, so
  // that two closed-loop requests prepared at once on different threads never pick the same slot.
  std::size_t in_flight() const { return busy_.load(); }
  void reserve() { ++busy_; }
  bool ended() const {
    std::lock_guard lock(mutex_);
    return ended_;
  }

  // Queues `request` for writing; `pending.done` runs once its final response (or the stream's end) came.
  void send(ModelInferRequest request, Pending pending) {
    std::unique_lock lock(mutex_);
    if (ended_ || read_over_) {
      const Status status = ended_ ? stream_status_ : Status{14, "stream " + std::to_string(index_) + " was closed by the server", {}};
      lock.unlock();
      fail(pending, status);
      return;
    }
    if (pending.record) pending.record->sent = client_.clock_.now();
    order_.push_back(request.id());
    pending_[request.id()] = std::move(pending);
    writes_.push_back(std::move(request));
    write_next(lock);
  }

  // No more requests: half-close once the queue is written.
  void close() {
    std::unique_lock lock(mutex_);
    if (closing_) return;
    closing_ = true;
    write_next(lock);
  }

  void cancel() { context_.TryCancel(); }

  // Blocks until gRPC is done with the stream.
  void wait_done(std::chrono::seconds patience) {
    std::unique_lock lock(mutex_);
    if (!done_.wait_for(lock, patience, [this] { return finished_; })) {
      lock.unlock();
      context_.TryCancel();
      lock.lock();
      done_.wait(lock, [this] { return finished_; });
    }
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mutex_);
    writing_ = false;
    if (!ok) return;  // the stream broke; OnDone says how
    write_next(lock);
  }

  void OnWritesDoneDone(bool ok) override {
    (void)ok;
    std::lock_guard lock(mutex_);
    release_hold();
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The server finished the stream (or it broke): nothing more will be written; OnDone follows once
      // the hold is gone and says how it ended.
      std::lock_guard lock(mutex_);
      read_over_ = true;
      release_hold();
      return;
    }
    const TimePoint at = client_.clock_.now();
    Pending finished;
    bool request_over = false;
    {
      std::unique_lock lock(mutex_);
      const auto& infer = response_.infer_response();
      auto it = pending_.find(infer.id());
      if (it == pending_.end() && !order_.empty()) {
        // No id we know (a server that drops ids on errors): responses of a non-decoupled model come in
        // request order, so it answers the oldest request still waiting.
        it = pending_.find(order_.front());
      }
      if (it != pending_.end()) {
        RequestRecord* record = it->second.record;
        if (!response_.error_message().empty()) {
          request_over = true;
          if (record) record->status = in_band_error(response_.error_message());
        } else {
          bool final_response = true;
          auto event = response_event(infer, client_.settings_.output.name, at, final_response);
          if (record) record->responses.push_back(std::move(event));
          request_over = final_response;
          if (record && final_response) record->status = Status{};
        }
        if (request_over) {
          if (record) record->end = at;
          finished = std::move(it->second);
          std::erase(order_, it->first);
          pending_.erase(it);
        }
      }
      write_next(lock);  // a closing slot half-closes once its last response is in
    }
    StartRead(&response_);
    if (request_over) {
      --busy_;
      if (finished.done) finished.done();
    }
  }

  void OnDone(const grpc::Status& status) override {
    std::map<std::string, Pending> orphans;
    {
      std::lock_guard lock(mutex_);
      ended_ = true;
      stream_status_ = status.ok() ? Status{14, "stream " + std::to_string(index_) + " ended before this request's response", {}}
                                   : to_status(status);
      orphans.swap(pending_);
      order_.clear();
    }
    for (auto& [id, pending] : orphans) fail(pending, stream_status_);
    std::lock_guard lock(mutex_);
    finished_ = true;
    done_.notify_all();
  }

 private:
  void fail(Pending& pending, const Status& status) {
    --busy_;
    if (pending.record) {
      pending.record->end = client_.clock_.now();
      pending.record->status = status;
    }
    if (pending.done) pending.done();
  }

  // With the lock held: the hold taken at the start goes once, when the write or the read side ends.
  void release_hold() {
    if (hold_released_) return;
    hold_released_ = true;
    RemoveHold();
  }

  // Starts the next write, or the half-close; with the lock held, released before calling gRPC.
  void write_next(std::unique_lock<std::mutex>& lock) {
    if (writing_ || writes_done_ || read_over_) return;
    if (!writes_.empty()) {
      current_ = std::move(writes_.front());
      writes_.pop_front();
      writing_ = true;
      lock.unlock();
      StartWrite(&current_);
      return;
    }
    if (closing_ && pending_.empty()) {
      writes_done_ = true;
      lock.unlock();
      StartWritesDone();
    }
  }

  KServeStreamClient& client_;
  const std::size_t index_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
  grpc::ClientContext context_;
  ModelStreamInferResponse response_;
  ModelInferRequest current_;

  std::atomic<std::size_t> busy_{0};
  mutable std::mutex mutex_;
  std::condition_variable done_;
  std::deque<ModelInferRequest> writes_;
  std::map<std::string, Pending> pending_;
  std::deque<std::string> order_;  // ids of pending requests, oldest first
  bool writing_ = false, closing_ = false, writes_done_ = false, ended_ = false, finished_ = false;
  bool read_over_ = false, hold_released_ = false;
  Status stream_status_;
};

// One request: prepared (its slot and sequence step chosen), then started.
class KServeStreamClient::Request final : public Call {
 public:
  Request(std::shared_ptr<Slot> slot, ModelInferRequest request, RequestRecord& record, std::function<void()> done)
      : slot_(std::move(slot)), request_(std::move(request)), record_(record), done_(std::move(done)) {}

  void start() override { slot_->send(std::move(request_), {&record_, std::move(done_)}); }
  // A stream carries many requests, so abandoning one abandons its stream.
  void cancel() override { slot_->cancel(); }

 private:
  std::shared_ptr<Slot> slot_;
  ModelInferRequest request_;
  RequestRecord& record_;
  std::function<void()> done_;
};

KServeStreamClient::KServeStreamClient(ChannelPool& channels, const KServeStreamSettings& settings,
                                       std::span<const Utterance> utterances, CaseLoad load,
                                       std::atomic<std::int64_t>& next_sequence_id, CallSettings call,
                                       const Clock& clock)
    : channels_(channels), settings_(settings), utterances_(utterances), load_(load),
      next_sequence_id_(next_sequence_id), call_(std::move(call)), clock_(clock),
      plan_(settings.sequence_length, settings.sequence_length_variation, /*seed=*/1) {}

std::shared_ptr<KServeStreamClient::Slot> KServeStreamClient::pick_slot() {
  auto open = [this](std::size_t index) {
    ++streams_opened_;
    return std::make_shared<Slot>(*this, index);
  };
  // A stream that broke is replaced by a new one in its slot.
  const std::size_t i = next_slot(load_.model, settings_.num_sequences, round_robin_, slots_.size(), [&](std::size_t k) {
    if (slots_[k]->ended()) slots_[k] = open(k);
    return slots_[k]->in_flight() == 0;
  });
  if (i >= slots_.size()) slots_.resize(i + 1);
  if (!slots_[i] || slots_[i]->ended()) slots_[i] = open(i);
  return slots_[i];
}

std::shared_ptr<Call> KServeStreamClient::prepare(RequestRecord& record, std::function<void()> done) {
  std::lock_guard lock(mutex_);
  auto slot = pick_slot();
  if (!slot->sequence.live()) {
    slot->sequence = Sequence(next_sequence_id_++, plan_.next_length());
    slot->sequence.ordinal = sequences_started_++;
  }
  slot->reserve();
  const SequenceStep step = slot->sequence.next();
  const auto chunk = sequence_chunk(utterances_, slot->sequence.ordinal, step.position, settings_.chunk_samples());
  describe_request(record, utterances_, slot->sequence.ordinal, step, chunk.size(), settings_.sample_rate_hz);
  return std::make_shared<Request>(slot, infer_request(settings_, request_id(slot->index(), record.index), step, chunk),
                                   record, std::move(done));
}

std::size_t KServeStreamClient::streams_opened() const {
  std::lock_guard lock(mutex_);
  return streams_opened_;
}

KServeStreamClient::~KServeStreamClient() {
  std::vector<std::shared_ptr<Slot>> slots;
  {
    std::lock_guard lock(mutex_);
    std::uint64_t closing_id = 0;
    for (auto& slot : slots_) {
      if (!slot) continue;
      if (slot->sequence.live() && !slot->ended()) {
        SequenceStep step = slot->sequence.next();
        step.end = true;
        const auto chunk = sequence_chunk(utterances_, slot->sequence.ordinal, step.position, settings_.chunk_samples());
        slot->reserve();
        slot->send(infer_request(settings_, "close-" + std::to_string(closing_id++), step, chunk), {});
      }
      slot->close();
      slots.push_back(slot);
    }
  }
  for (auto& slot : slots) slot->wait_done(std::chrono::seconds(30));
}

}  // namespace voxperf
