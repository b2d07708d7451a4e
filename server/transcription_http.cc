#include "server/transcription_http.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "harness/input_error.h"
#include "harness/wav.h"
#include "server/chunk_channel.h"
#include "server/cpu_slowdown.h"
#include "server/http_listener.h"
#include "server/language.h"
#include "server/resampler.h"
#include "server/service_context.h"
#include "server/worker_pool.h"

namespace voxperf::refserver {
namespace {

using json = nlohmann::json;

constexpr std::size_t kStreamStep = SphinxModel::kSampleRate;  // samples decoded between stream deltas: 1 s

std::string form_value(const httplib::Request& req, const char* name) {
  return req.has_file(name) ? req.get_file_value(name).content : std::string();
}

// Interleaved channels to one (their mean), as a Whisper server's decoder does.
std::vector<std::int16_t> mono(const PcmAudio& audio) {
  if (audio.channels <= 1) return audio.samples;
  std::vector<std::int16_t> out(audio.frames());
  for (std::size_t f = 0; f < out.size(); ++f) {
    int sum = 0;
    for (int c = 0; c < audio.channels; ++c) sum += audio.samples[f * static_cast<std::size_t>(audio.channels) + c];
    out[f] = static_cast<std::int16_t>(sum / audio.channels);
  }
  return out;
}

// The words of `now` past the ones already sent, when `now` still begins with them ("" otherwise: the
// hypothesis changed its mind, and the done event will carry the final text).
std::string new_words(const std::string& sent, const std::string& now) {
  if (now.size() <= sent.size() || now.compare(0, sent.size(), sent) != 0) return {};
  return now.substr(sent.size());
}

std::string sse(const json& event) { return "data: " + event.dump() + "\n\n"; }

// What an upload asked for, checked; `status` is 0 when it is fine.
struct Upload {
  int status = 0;
  std::string message;
  std::vector<std::int16_t> samples;  // 16 kHz mono
  double seconds = 0;
  std::string format = "json";
  bool stream = false;
};

Upload read_upload(const httplib::Request& req, bool needs_model) {
  Upload u;
  auto bad = [&u](int status, std::string message) {
    u.status = status;
    u.message = std::move(message);
    return u;
  };
  if (!req.is_multipart_form_data()) return bad(400, "the body must be multipart/form-data with a 'file' field");
  if (!req.has_file("file")) return bad(400, "no 'file' field in the request");
  const std::string model = form_value(req, "model");
  const auto& names = TranscriptionHttp::models();
  if (needs_model && model.empty()) return bad(400, "'model' is required");
  if (!model.empty() && std::find(names.begin(), names.end(), model) == names.end()) {
    return bad(404, "The model `" + model + "` does not exist; this server transcribes with " + names.front());
  }
  if (req.has_file("response_format")) u.format = form_value(req, "response_format");
  if (u.format != "json" && u.format != "text" && u.format != "verbose_json") {
    return bad(400, "response_format '" + u.format + "' is not supported; use json, text or verbose_json");
  }
  const std::string language = form_value(req, "language");
  if (!language.empty() && language != "en" && !is_en_us(language)) {
    return bad(400, "language '" + language + "': this server transcribes en only");
  }
  const std::string stream = form_value(req, "stream");
  u.stream = stream == "true" || stream == "True" || stream == "1";
  if (u.stream && u.format == "verbose_json") return bad(400, "verbose_json can not be streamed; use json or text");
  const auto& file = req.get_file_value("file");
  try {
    const PcmAudio audio = parse_wav(std::as_bytes(std::span(file.content.data(), file.content.size())), "file");
    u.seconds = audio.seconds();
    u.samples = resample_all(mono(audio), audio.sample_rate, SphinxModel::kSampleRate);
  } catch (const InputError& e) {
    return bad(400, std::string(e.what()) + " (send a 16-bit PCM WAV file)");
  }
  return u;
}

json answer(const Upload& u, const std::string& text) {
  if (u.format == "verbose_json") {
    return {{"task", "transcribe"}, {"language", "english"}, {"duration", u.seconds}, {"text", text},
            {"segments", json::array({{{"id", 0}, {"seek", 0}, {"start", 0.0}, {"end", u.seconds}, {"text", text}}})}};
  }
  return {{"text", text}, {"usage", {{"type", "duration"}, {"seconds", u.seconds}}}};
}

}  // namespace

const std::vector<std::string>& TranscriptionHttp::models() {
  static const std::vector<std::string> names = {"pocketsphinx", "whisper-1"};
  return names;
}

TranscriptionHttp::TranscriptionHttp(const ServiceContext& context, WorkerPool& workers, SphinxModel model,
                                     httplib::Server& http)
    : context_(context), workers_(workers), decoders_(std::move(model)),
      admission_(static_cast<std::size_t>(context.profile.max_batch)) {
  for (const bool openai : {true, false}) {
    http.Post(openai ? "/v1/audio/transcriptions" : "/inference",
              [this, openai](const httplib::Request& req, httplib::Response& res) {
      auto upload = std::make_shared<Upload>(read_upload(req, openai));
      if (upload->status != 0) {
        return send_json_error(res, upload->status, upload->message,
                               upload->status == 404 ? "NotFoundError" : "BadRequestError");
      }
      // The decode runs on a worker once admitted; it pushes SSE events, or the whole answer as one chunk.
      auto channel = std::make_shared<ChunkChannel>();
      admission_.enter([this, upload, channel] {
        workers_.post([this, upload, channel] {
          std::string text;
          if (!channel->closed()) {
            auto decoder = decoders_.acquire();
            slowed(context_.faults.slowdown, [&] {
              decoder->start();
              std::string sent;
              const auto& samples = upload->samples;
              for (std::size_t at = 0; at < samples.size() && !channel->closed(); at += kStreamStep) {
                const std::size_t n = std::min(kStreamStep, samples.size() - at);
                decoder->process(std::span(samples).subspan(at, n));
                if (!upload->stream) continue;
                const std::string more = new_words(sent, decoder->partial());
                if (more.empty()) continue;
                channel->push(sse({{"type", "transcript.text.delta"}, {"delta", more}}));
                sent += more;
              }
              text = decoder->finish();
            });
          }
          admission_.leave();
          if (upload->stream) {
            channel->push(sse({{"type", "transcript.text.done"}, {"text", text}}));
          } else {
            channel->push(upload->format == "text" ? text + "\n" : answer(*upload, text).dump());
          }
          channel->finish(true);
        });
      });
      if (!upload->stream) {
        std::string body;
        if (!channel->pop(body)) return send_json_error(res, 503, "the server is shutting down", "ServiceUnavailableError");
        return res.set_content(body, upload->format == "text" ? "text/plain; charset=utf-8" : "application/json");
      }
      res.set_header("Cache-Control", "no-cache");
      stream_chunks(res, "text/event-stream", channel);
    });
  }
}

}  // namespace voxperf::refserver
