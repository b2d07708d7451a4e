// The wire format of http_transcription, as pure functions: the form of one upload, and the reading of what
// comes back. Answers are read leniently where servers disagree (../shared/facts/http-speech.md): a JSON
// object with `text` is taken whatever response_format was asked for (vLLM answers `text` with JSON, #49095);
// a text/plain or text/html body is the transcript itself (speaches, whisper.cpp). Streams come in two
// dialects: OpenAI's `transcript.text.delta` / `transcript.text.done` events (speaches too), and vLLM's
// chat-completion-style chunks (`choices[0].delta.content`) ending in `data: [DONE]`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/http/http_transport.h"
#include "harness/pipelines/http_transcription/transcription_settings.h"

namespace voxperf {

// The form of one upload: the audio file under file_field (its file name and audio/wav), then model,
// language, response_format, temperature (each unless empty), stream=true when streaming, then the extra fields.
std::vector<FormPart> transcription_form(const HttpTranscriptionSettings& settings, const std::string& file_name,
                                         const std::string& wav_bytes, bool stream);

struct TranscriptReading {
  std::string text;          // the transcript (whole answer, a delta, or a done event's full text)
  bool delta = false;        // a stream event that adds text
  bool done = false;         // a stream event that ends the transcript (transcript.text.done)
  std::string server_error;  // an error object's message
  std::string problem;       // why the body or event could not be read; empty when it could
};

// A whole (non-streamed) answer with its content type.
TranscriptReading read_transcript(std::string_view body, std::string_view content_type,
                                  const std::string& response_format);
// One SSE event's data.
TranscriptReading read_transcript_event(std::string_view data);

}  // namespace voxperf
