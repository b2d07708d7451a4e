// An http_speech client: one request per prompt (index % size), its answer read as it streams. Each read of
// a raw answer (or each SSE delta) is one response: kAudio with the seconds of the whole frames it completed,
// or kEmpty when it completed none (a WAV header alone, a lone odd byte, an empty delta). So:
//   TTFB = the first body byte (record.first_byte), TTFA = the first kAudio response, inter-chunk gaps are
//   between kAudio responses, RTF = (end - send) / audio seconds, chars/s from the prompt's characters.
// In-band failures by class: stream_error (an error event), bad_event (an SSE event that is not JSON or not
// base64), bad_audio (a WAV header that is not 16-bit PCM, or an odd byte left at the end), no_done (an SSE
// stream without speech.audio.done), no_audio (an answer with no samples).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness/clock.h"
#include "harness/http/http_transport.h"
#include "harness/pipelines/http_speech/speech_settings.h"
#include "harness/prompts.h"
#include "harness/request_client.h"

namespace voxperf {

class HttpSpeechClient final : public RequestClient {
 public:
  // `sse`: stream_format sse (openai only). Everything outlives the client.
  HttpSpeechClient(HttpTransport& transport, const HttpSpeechSettings& settings, const std::vector<Prompt>& prompts,
                   bool sse, const Clock& clock = SystemClock::instance());

  std::shared_ptr<Call> prepare(RequestRecord& record, std::function<void()> done) override;

 private:
  HttpTransport& transport_;
  const HttpSpeechSettings& settings_;
  const std::vector<Prompt>& prompts_;
  bool sse_;
  const Clock& clock_;
};

}  // namespace voxperf
