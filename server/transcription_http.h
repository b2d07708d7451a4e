// The reference server's Whisper-style transcription API, on its HTTP port:
//   POST /v1/audio/transcriptions  OpenAI's multipart form: file (a 16-bit PCM WAV, any rate, mono or not),
//                                  model, language, response_format json|text|verbose_json, temperature, stream
//   POST /inference                whisper.cpp's route: the same form without model
// The upload is decoded offline by pocketsphinx (en-US), on the server's workers, at most the profile's batch
// size at once; later requests wait in a FIFO. Errors are OpenAI error objects: 400 for a missing file field,
// a body that is not multipart, audio that is not WAV, an unknown response_format or language; 404 for an
// unknown model; 413 (from the listener) for a body over its limit. With stream=true the answer is SSE:
// transcript.text.delta events as the decoder's hypothesis grows (one per second of audio decoded), then
// transcript.text.done with the final text, as OpenAI's streaming example shows (no [DONE]).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "server/admission.h"
#include "server/sphinx_decoder.h"

namespace httplib {
class Server;
}

namespace voxperf::refserver {

class WorkerPool;
struct ServiceContext;

class TranscriptionHttp {
 public:
  // The model names it answers to: its own, and OpenAI's, so that clients written for OpenAI work unchanged.
  static const std::vector<std::string>& models();

  // Adds its routes to `http`, which must not have started yet.
  TranscriptionHttp(const ServiceContext& context, WorkerPool& workers, SphinxModel model, httplib::Server& http);

  const Admission& admission() const { return admission_; }
  std::size_t decoders() const { return decoders_.created(); }

 private:
  const ServiceContext& context_;
  WorkerPool& workers_;
  DecoderPool decoders_;
  Admission admission_;
};

}  // namespace voxperf::refserver
