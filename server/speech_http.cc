#include "server/speech_http.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>

#include "harness/base64.h"
#include "server/chunk_channel.h"
#include "server/espeak_engine.h"
#include "server/http_listener.h"
#include "server/resampler.h"
#include "server/service_context.h"

namespace voxperf::refserver {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxInput = 4096;  // characters, as OpenAI's API

enum class Framing { kPcm, kWav, kSse };

// One synthesis as the request asked for it; `status` is 0 when it is fine.
struct Speech {
  int status = 0;
  std::string message;
  std::string text;
  const Voice* voice = nullptr;
  Framing framing = Framing::kPcm;
  int rate = SpeechHttp::kOpenAiRate;
  const char* content_type = "audio/pcm";
};

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
}

// A streamed WAV file's header: the sizes are unknown when it goes out, so they say 0xFFFFFFFF.
std::string wav_header(int rate) {
  std::string h = "RIFF";
  put_le(h, 0xFFFFFFFFu, 4);
  h += "WAVEfmt ";
  put_le(h, 16, 4);
  put_le(h, 1, 2);  // PCM
  put_le(h, 1, 2);  // mono
  put_le(h, static_cast<std::uint32_t>(rate), 4);
  put_le(h, static_cast<std::uint32_t>(rate) * 2, 4);
  put_le(h, 2, 2);
  put_le(h, 16, 2);
  h += "data";
  put_le(h, 0xFFFFFFFFu, 4);
  return h;
}

bool has_words(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

std::string voice_names(const EspeakEngine& engine) {
  std::string names;
  for (const auto& v : engine.voices()) names += (names.empty() ? "" : ", ") + v.name;
  return names;
}

Speech check_text_and_voice(Speech s, const EspeakEngine& engine, const std::string& text_field,
                            const std::string& voice_field, const std::string& voice) {
  if (!has_words(s.text)) {
    s.status = 400;
    s.message = "'" + text_field + "' is empty; send the text to speak";
  } else if (s.text.size() > kMaxInput) {
    s.status = 400;
    s.message = "'" + text_field + "' is longer than " + std::to_string(kMaxInput) + " characters";
  } else if ((s.voice = engine.find_voice(voice)) == nullptr) {
    s.status = 400;
    s.message = "'" + voice_field + "' '" + voice + "' is not a voice here; voices: " + voice_names(engine);
  }
  return s;
}

Speech read_openai(const std::string& text, const EspeakEngine& engine) {
  Speech s;
  auto bad = [&s](int status, std::string message) {
    s.status = status;
    s.message = std::move(message);
    return s;
  };
  const json body = json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return bad(400, "the body is not a JSON object");
  if (!body.contains("model") || !body["model"].is_string()) return bad(400, "'model' is required (a string)");
  const auto model = body["model"].get<std::string>();
  const auto& names = SpeechHttp::models();
  if (std::find(names.begin(), names.end(), model) == names.end()) {
    return bad(404, "The model `" + model + "` does not exist; this server speaks with " + names.front());
  }
  if (!body.contains("input") || !body["input"].is_string()) return bad(400, "'input' is required (a string)");
  s.text = body["input"].get<std::string>();
  std::string voice;
  if (auto v = body.find("voice"); v != body.end()) {
    if (!v->is_string()) return bad(400, "'voice' must be a string (a voice name)");
    voice = v->get<std::string>();
  }
  const std::string format = body.value("response_format", std::string("mp3"));
  if (format != "pcm" && format != "wav") {
    return bad(400, "response_format '" + format + "' is not produced by this server; use pcm or wav");
  }
  const std::string stream_format = body.value("stream_format", std::string("audio"));
  if (stream_format != "audio" && stream_format != "sse") {
    return bad(400, "stream_format '" + stream_format + "' is not one of audio, sse");
  }
  if (auto v = body.find("speed"); v != body.end()) {
    if (!v->is_number() || v->get<double>() < 0.25 || v->get<double>() > 4.0) {
      return bad(400, "'speed' must be a number from 0.25 to 4.0");
    }
  }
  if (stream_format == "sse") {
    s.framing = Framing::kSse;
    s.content_type = "text/event-stream";
  } else if (format == "wav") {
    s.framing = Framing::kWav;
    s.content_type = "audio/wav";
  }
  return check_text_and_voice(std::move(s), engine, "input", "voice", voice);
}

Speech read_cosyvoice(const httplib::Request& req, const EspeakEngine& engine) {
  Speech s;
  auto value = [&req](const char* name) {
    if (req.has_param(name)) return req.get_param_value(name);
    return req.has_file(name) ? req.get_file_value(name).content : std::string();
  };
  if (!req.has_param("tts_text") && !req.has_file("tts_text")) {
    s.status = 400;
    s.message = "'tts_text' is required (a form field)";
    return s;
  }
  s.text = value("tts_text");
  s.rate = engine.sample_rate();  // CosyVoice 1 speaks at 22050 Hz, espeak-ng's own rate
  s.content_type = "";
  return check_text_and_voice(std::move(s), engine, "tts_text", "spk_id", value("spk_id"));
}

std::string sse(const json& event) { return "data: " + event.dump() + "\n\n"; }

std::string pcm_bytes(const std::vector<std::int16_t>& samples) {
  return std::string(reinterpret_cast<const char*>(samples.data()), samples.size() * sizeof(std::int16_t));
}

std::size_t words(const std::string& text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool letter = std::isalnum(static_cast<unsigned char>(c)) != 0;
    n += letter && !in_word;
    in_word = letter;
  }
  return n;
}

}  // namespace

const std::vector<std::string>& SpeechHttp::models() {
  static const std::vector<std::string> names = {"espeak-ng", "tts-1"};
  return names;
}

SpeechHttp::SpeechHttp(const ServiceContext& context, EspeakEngine& engine, httplib::Server& http)
    : context_(context), engine_(engine), admission_(static_cast<std::size_t>(context.profile.max_batch)) {
  auto serve = [this](Speech speech, httplib::Response& res) {
    if (speech.status != 0) {
      return send_json_error(res, speech.status, speech.message,
                             speech.status == 404 ? "NotFoundError" : "BadRequestError");
    }
    auto channel = std::make_shared<ChunkChannel>();
    if (speech.framing == Framing::kWav) channel->push(wav_header(speech.rate));
    const Framing framing = speech.framing;
    const std::size_t input_words = words(speech.text);
    auto job = std::make_shared<SynthesisJob>();
    job->voice = speech.voice;
    job->segments = split_sentences(speech.text);
    auto resampler = std::make_shared<Resampler>(engine_.sample_rate(), speech.rate);
    auto sentence = std::make_shared<std::vector<std::int16_t>>();
    auto samples_sent = std::make_shared<std::size_t>(0);
    auto send = [channel, sentence, framing, samples_sent] {
      if (sentence->empty()) return;
      *samples_sent += sentence->size();
      if (framing == Framing::kSse) {
        channel->push(sse({{"type", "speech.audio.delta"}, {"audio", base64_encode(pcm_bytes(*sentence))}}));
      } else {
        channel->push(pcm_bytes(*sentence));
      }
      sentence->clear();
    };
    job->cancelled = [channel] { return channel->closed(); };
    job->audio = [resampler, sentence](std::span<const std::int16_t> audio) { resampler->process(audio, *sentence); };
    // The last sentence takes what the resampler still holds, so that no small tail chunk follows it.
    job->segment_done = [send, resampler, sentence, j = job.get()] {
      if (j->next_segment == j->segments.size()) resampler->flush(*sentence);
      send();
    };
    job->done = [this, channel, framing, input_words, samples_sent](bool completed) {
      admission_.leave();
      if (completed) {
        if (framing == Framing::kSse) {
          // Output "tokens" are the 20 ms frames of audio, a stand-in for a neural codec's tokens.
          const std::size_t output_tokens = *samples_sent / 480;
          channel->push(sse({{"type", "speech.audio.done"},
                             {"usage", {{"input_tokens", input_words}, {"output_tokens", output_tokens},
                                        {"total_tokens", input_words + output_tokens}}}}));
        }
      }
      channel->finish(completed);
    };
    admission_.enter([this, job] { engine_.submit(job); });
    stream_chunks(res, speech.content_type, channel);
  };
  http.Post("/v1/audio/speech", [this, serve](const httplib::Request& req, httplib::Response& res) {
    serve(read_openai(req.body, engine_), res);
  });
  auto cosyvoice = [this, serve](const httplib::Request& req, httplib::Response& res) {
    serve(read_cosyvoice(req, engine_), res);
  };
  http.Get("/inference_sft", cosyvoice);  // CosyVoice's own client sends a GET with a form body
  http.Post("/inference_sft", cosyvoice);
}

}  // namespace voxperf::refserver
