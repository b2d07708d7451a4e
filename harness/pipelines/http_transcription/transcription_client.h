// An http_transcription client: one multipart upload per request, of utterance index % size. What it records:
//   audio_seconds_in and the reference transcript (RTFX, WER);
//   upload mode: one kFinal response with the transcript, at the time of the answer's last byte;
//   stream mode: each SSE delta with text as a kText response (so TTFT is the first text's time), then one
//                kFinal with the transcript: the done event's text, or the deltas joined when the server
//                sends none (vLLM ends with [DONE] only; the stream end counts as the end as well);
//   status     the transport's (http_4xx/5xx, refused, deadline ...), else in-band failures by class:
//              stream_error (an error object), bad_answer (not a transcript), no_text (an empty transcript
//              of an utterance that has words).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/clock.h"
#include "harness/http/http_transport.h"
#include "harness/manifest.h"
#include "harness/pipelines/http_transcription/transcription_settings.h"
#include "harness/request_client.h"

namespace voxperf {

// One utterance as it is uploaded: the WAV file's own bytes, and what it holds.
struct Upload {
  std::string id;          // the file name, sent as the part's filename
  std::string wav_bytes;
  double seconds = 0.0;
  std::string reference;
};

class HttpTranscriptionClient final : public RequestClient {
 public:
  // `stream`: ask for SSE (stream=true). Everything outlives the client.
  HttpTranscriptionClient(HttpTransport& transport, const HttpTranscriptionSettings& settings,
                          const std::vector<Upload>& uploads, bool stream, const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  HttpTransport& transport_;
  const HttpTranscriptionSettings& settings_;
  const std::vector<Upload>& uploads_;
  bool stream_;
  const Clock& clock_;
};

}  // namespace voxperf
