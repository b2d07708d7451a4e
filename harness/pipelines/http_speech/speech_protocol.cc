#include "harness/pipelines/http_speech/speech_protocol.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <cstdint>

#include "harness/base64.h"

namespace voxperf {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxWavHeader = 64 * 1024;  // a header with LIST chunks is still far below this

std::string url_encoded(const std::string& text) {
  char* escaped = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

std::uint32_t le32(const std::string& b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
std::uint16_t le16(const std::string& b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8);
}

}  // namespace

HttpRequest speech_request(const HttpSpeechSettings& settings, const std::string& text, bool sse) {
  HttpRequest request;
  request.path = settings.path;
  if (settings.dialect == "cosyvoice") {
    request.body = "tts_text=" + url_encoded(text) + "&spk_id=" + url_encoded(settings.voice);
    for (const auto& [name, value] : settings.form) request.body += "&" + url_encoded(name) + "=" + url_encoded(value);
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    return request;
  }
  json body = {{"model", settings.model_name}, {"input", text}, {"voice", settings.voice},
               {"response_format", settings.response_format}, {"speed", settings.speed}};
  if (sse) body["stream_format"] = "sse";
  for (const auto& [key, value] : settings.extra_body.items()) body[key] = value;
  request.body = body.dump();
  request.headers = {{"Content-Type", "application/json"},
                     {"Accept", sse ? "text/event-stream" : "application/octet-stream"}};
  return request;
}

SpeechEventReading read_speech_event(std::string_view data) {
  SpeechEventReading reading;
  const json event = json::parse(data, nullptr, false);
  if (event.is_discarded() || !event.is_object()) {
    reading.problem = "an event that is not a JSON object";
    return reading;
  }
  if (event.contains("error")) {
    const auto& error = event["error"];
    reading.server_error = error.is_object() && error.contains("message") && error["message"].is_string()
                               ? error["message"].get<std::string>()
                               : error.dump().substr(0, 200);
    return reading;
  }
  const std::string type = event.value("type", std::string());
  if (type == "speech.audio.done") {
    reading.done = true;
  } else if (type == "speech.audio.delta") {
    if (!event.contains("audio") || !event["audio"].is_string()) {
      reading.problem = "speech.audio.delta without a string 'audio'";
      return reading;
    }
    auto audio = base64_decode(event["audio"].get<std::string>());
    if (!audio) {
      reading.problem = "speech.audio.delta whose 'audio' is not base64";
      return reading;
    }
    reading.delta = true;
    reading.audio = std::move(*audio);
  }
  return reading;  // other types carry no audio
}

std::size_t PcmCounter::feed(std::size_t bytes) {
  const std::size_t total = carry_ + bytes;
  const std::size_t frames = total / frame_bytes_;
  carry_ = total % frame_bytes_;
  frames_ += frames;
  return frames;
}

std::size_t WavStreamHeader::feed(std::string_view bytes) {
  if (complete_ || failed()) return 0;
  const std::size_t before = buffer_.size();
  buffer_.append(bytes.substr(0, kMaxWavHeader + 1 - std::min(before, kMaxWavHeader)));
  parse();
  if (complete_) return header_size_ - before;
  if (!failed() && buffer_.size() > kMaxWavHeader) problem_ = "no 'data' chunk in the first 64 KiB of the WAV answer";
  return failed() ? 0 : bytes.size();
}

void WavStreamHeader::parse() {
  if (buffer_.size() < 12) return;
  if (buffer_.compare(0, 4, "RIFF") != 0 || buffer_.compare(8, 4, "WAVE") != 0) {
    problem_ = "the answer does not start with a RIFF/WAVE header";
    return;
  }
  std::size_t at = 12;
  bool have_format = false;
  while (at + 8 <= buffer_.size()) {
    const std::string id = buffer_.substr(at, 4);
    const std::uint32_t size = le32(buffer_, at + 4);
    if (id == "data") {
      if (!have_format) {
        problem_ = "the WAV answer's 'data' chunk comes before its 'fmt ' chunk";
        return;
      }
      header_size_ = at + 8;
      complete_ = true;
      return;
    }
    const std::size_t next = at + 8 + size + (size & 1u);  // chunks are padded to even sizes
    if (id == "fmt ") {
      if (size < 16) {
        problem_ = "the WAV answer's 'fmt ' chunk is too short";
        return;
      }
      if (at + 8 + 16 > buffer_.size()) return;  // wait for the rest of it
      const std::uint16_t format = le16(buffer_, at + 8);
      channels_ = le16(buffer_, at + 10);
      sample_rate_ = static_cast<int>(le32(buffer_, at + 12));
      const std::uint16_t bits = le16(buffer_, at + 22);
      if ((format != 1 && format != 0xFFFE) || bits != 16 || channels_ < 1 || sample_rate_ <= 0) {
        problem_ = "the WAV answer is not 16-bit PCM (format " + std::to_string(format) + ", " +
                   std::to_string(bits) + " bits)";
        return;
      }
      have_format = true;
    }
    at = next;
  }
}

}  // namespace voxperf
