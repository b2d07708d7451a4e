// The reference server's streaming TTS APIs over HTTP, on its HTTP port, both on espeak-ng:
//   POST /v1/audio/speech      OpenAI's JSON {model, input, voice, response_format pcm|wav, speed,
//                              stream_format audio|sse}, 24000 Hz int16 mono. audio: the bytes chunked, a WAV
//                              answer led by its header (sizes left as 0xFFFFFFFF, as streaming servers do);
//                              sse: speech.audio.delta events of base64 PCM, then speech.audio.done with usage.
//   GET|POST /inference_sft    CosyVoice's FastAPI form {tts_text, spk_id}: raw int16 mono PCM at 22050 Hz
//                              (CosyVoice 1's rate) and no content type, as its server sends it (cpp-httplib
//                              writes the header, empty).
// Both stream one chunk per finished sentence, the way CosyVoice's HTTP server yields, so the first audio
// comes after the whole first sentence is synthesized. At most the profile's batch size of requests are in the
// engine at once, taking turns sentence by sentence; the rest wait in a FIFO (their headers are out already:
// TTFB is not first audio). Errors are OpenAI error objects (400 with the field named, 404 unknown model).
#pragma once

#include <string>
#include <vector>

#include "server/admission.h"

namespace httplib {
class Server;
}

namespace voxperf::refserver {

class EspeakEngine;
struct ServiceContext;

class SpeechHttp {
 public:
  static constexpr int kOpenAiRate = 24000;
  static const std::vector<std::string>& models();  // what `model` may be: its own name and OpenAI's

  // Adds its routes to `http`, which must not have started yet.
  SpeechHttp(const ServiceContext& context, EspeakEngine& engine, httplib::Server& http);

  const Admission& admission() const { return admission_; }

 private:
  const ServiceContext& context_;
  EspeakEngine& engine_;
  Admission admission_;
};

}  // namespace voxperf::refserver
