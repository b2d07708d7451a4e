// Streaming ASR over Riva's StreamingRecognize: one bidirectional stream per request, the utterance sent in
// chunks of `chunk` audio, paced in real time by the shared TimerQueue, then a half-close; interim and final
// transcripts are recorded as they arrive. Streams run on the client's own completion queues (async API).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "harness/grpc/channel_pool.h"
#include "harness/grpc/completion_queues.h"
#include "harness/grpc/stub_pool.h"
#include "harness/manifest.h"
#include "harness/request_client.h"
#include "harness/pipelines/riva_asr/asr_settings.h"
#include "harness/pipelines/riva_asr/asr_stream_frames.h"
#include "harness/timer_queue.h"
#include "riva/proto/riva_asr.grpc.pb.h"

namespace voxperf {

class RivaAsrStreamClient final : public RequestClient {
 public:
  // `utterances` and `timers` must outlive the client; request i sends utterance i modulo their number.
  RivaAsrStreamClient(ChannelPool& channels, std::span<const Utterance> utterances, AsrSettings settings,
                      TimerQueue& timers, const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  class Stream;
  // The timer thread's chunks that came due in one pass, written together (see queue_chunk); touched by the
  // timer thread only.
  void queue_chunk(Stream* stream);
  void write_due_chunks();
  std::vector<Stream*> due_chunks_;
  std::vector<std::size_t> due_per_channel_;  // reused by every pass: no allocation on the pacer's path
  bool writing_due_chunks_queued_ = false;
  // Requests go out pre-serialized (frames_), answers are parsed as usual.
  GenericStubPool<grpc::ByteBuffer, nvidia::riva::asr::StreamingRecognizeResponse> stubs_;
  std::span<const Utterance> utterances_;
  AsrSettings settings_;
  TimerQueue& timers_;
  const Clock& clock_;
  std::vector<AsrStreamFrames> frames_;  // one per utterance
  CompletionQueues queues_;  // last: its threads are joined first, once every stream has finished
};

}  // namespace voxperf
