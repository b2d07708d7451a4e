// http_transcription and http_speech: the wire format and the stream accounting as pure functions, then each
// client over libcurl against a gMock fake HTTP server whose script moves the client's clock, so that every
// counter is exactly what the script implies however busy the machine is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>

#include "harness/base64.h"
#include "harness/http/http_transport.h"
#include "harness/load_driver.h"
#include "harness/pipelines/http_speech/speech_client.h"
#include "harness/pipelines/http_speech/speech_pipeline.h"
#include "harness/pipelines/http_speech/speech_protocol.h"
#include "harness/pipelines/http_transcription/transcription_client.h"
#include "harness/pipelines/http_transcription/transcription_pipeline.h"
#include "harness/pipelines/http_transcription/transcription_protocol.h"
#include "harness/timer_queue.h"
#include "harness/window_metrics.h"
#include "mocks/fake_http_server.h"
#include "mocks/scripted_clock.h"

namespace voxperf {
namespace {

using json = nlohmann::json;
using mocks::HttpReply;
using mocks::HttpRequestSeen;
using mocks::sse;
using ::testing::_;

// ---- wire format ----

TEST(TranscriptionProtocol, FormCarriesTheFileAndTheFieldsAsSet) {
  HttpTranscriptionSettings s;
  s.model_name = "whisper-1";
  s.form = {{"beam_size", "5"}};
  auto form = transcription_form(s, "a.wav", "RIFF....", true);
  ASSERT_EQ(form.size(), 7u);
  EXPECT_EQ(form[0].name, "file");
  EXPECT_EQ(form[0].filename, "a.wav");
  EXPECT_EQ(form[0].content_type, "audio/wav");
  EXPECT_EQ(form[0].value, "RIFF....");
  EXPECT_EQ(form[1].name, "model");
  EXPECT_EQ(form[2].name, "language");
  EXPECT_EQ(form[3].value, "json");
  EXPECT_EQ(form[4].name, "temperature");
  EXPECT_EQ(form[4].value, "0");
  EXPECT_EQ(form[5].name, "stream");
  EXPECT_EQ(form[6].name, "beam_size");
  // whisper.cpp: no model, its own file field, no temperature.
  s.model_name.clear();
  s.file_field = "audio";
  s.temperature.reset();
  s.form.clear();
  form = transcription_form(s, "a.wav", "x", false);
  ASSERT_EQ(form.size(), 3u);
  EXPECT_EQ(form[0].name, "audio");
  EXPECT_EQ(form[1].name, "language");
}

TEST(TranscriptionProtocol, ReadsEveryAnswerShape) {
  EXPECT_EQ(read_transcript(R"({"text":" Hello world. "})", "application/json", "json").text, "Hello world.");
  EXPECT_EQ(read_transcript("hello world\n", "text/plain; charset=utf-8", "text").text, "hello world");
  EXPECT_EQ(read_transcript("hello", "text/html; charset=utf-8", "json").text, "hello");  // whisper.cpp's text
  // vLLM answers response_format=text with JSON (#49095): still read.
  EXPECT_EQ(read_transcript(R"({"text":"hi","usage":{"type":"duration","seconds":3}})", "application/json", "text").text, "hi");
  EXPECT_EQ(read_transcript(R"({"task":"transcribe","text":"v","segments":[]})", "application/json", "verbose_json").text, "v");
  EXPECT_EQ(read_transcript(R"({"error":{"message":"busy"}})", "application/json", "json").server_error, "busy");
  EXPECT_FALSE(read_transcript("<html>", "application/octet-stream", "json").problem.empty());
  EXPECT_FALSE(read_transcript(R"({"txt":"x"})", "application/json", "json").problem.empty());
}

TEST(TranscriptionProtocol, ReadsBothStreamDialects) {
  auto delta = read_transcript_event(R"({"type":"transcript.text.delta","delta":" he"})");
  EXPECT_TRUE(delta.delta);
  EXPECT_EQ(delta.text, " he");
  auto done = read_transcript_event(R"({"type":"transcript.text.done","text":"he said"})");
  EXPECT_TRUE(done.done);
  EXPECT_EQ(done.text, "he said");
  auto vllm = read_transcript_event(R"({"object":"transcription.chunk","choices":[{"delta":{"content":" a"}}]})");
  EXPECT_TRUE(vllm.delta);
  EXPECT_EQ(vllm.text, " a");
  auto usage = read_transcript_event(R"({"choices":[],"usage":{"prompt_tokens":3}})");
  EXPECT_FALSE(usage.delta);
  EXPECT_TRUE(usage.problem.empty());
  EXPECT_EQ(read_transcript_event(R"({"error":{"message":"x"}})").server_error, "x");
  EXPECT_FALSE(read_transcript_event("nope").problem.empty());
  EXPECT_FALSE(read_transcript_event(R"({"type":"transcript.text.delta","delta":3})").problem.empty());
}

TEST(SpeechProtocol, RequestsInBothDialects) {
  HttpSpeechSettings s;
  s.model_name = "tts-1";
  s.voice = "alloy";
  s.extra_body = {{"instructions", "calm"}};
  auto req = speech_request(s, "Hi there.", true);
  EXPECT_EQ(req.path, "/v1/audio/speech");
  const json body = json::parse(req.body);
  EXPECT_EQ(body["model"], "tts-1");
  EXPECT_EQ(body["input"], "Hi there.");
  EXPECT_EQ(body["voice"], "alloy");
  EXPECT_EQ(body["response_format"], "pcm");
  EXPECT_EQ(body["stream_format"], "sse");
  EXPECT_EQ(body["instructions"], "calm");
  EXPECT_FALSE(json::parse(speech_request(s, "x", false).body).contains("stream_format"));
  s.dialect = "cosyvoice";
  s.path = "/inference_sft";
  s.voice = "中文女";
  req = speech_request(s, "a b&c", false);
  EXPECT_EQ(req.body, "tts_text=a%20b%26c&spk_id=%E4%B8%AD%E6%96%87%E5%A5%B3");
  EXPECT_EQ(req.headers[0].second, "application/x-www-form-urlencoded");
}

TEST(SpeechProtocol, SseAudioEvents) {
  auto delta = read_speech_event(json{{"type", "speech.audio.delta"}, {"audio", base64_encode("abc")}}.dump());
  EXPECT_TRUE(delta.delta);
  EXPECT_EQ(delta.audio, "abc");
  EXPECT_TRUE(read_speech_event(R"({"type":"speech.audio.done","usage":{}})").done);
  EXPECT_FALSE(read_speech_event(R"({"type":"speech.audio.delta","audio":"%%%"})").problem.empty());
  EXPECT_FALSE(read_speech_event(R"({"type":"speech.audio.delta"})").problem.empty());
  EXPECT_EQ(read_speech_event(R"({"error":{"message":"m"}})").server_error, "m");
}

TEST(SpeechProtocol, Base64RoundTrips) {
  for (const std::string& bytes : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  }
  EXPECT_EQ(base64_encode("ab"), "YWI=");
  EXPECT_FALSE(base64_decode("abc"));
}

TEST(SpeechProtocol, PcmCounterCarriesPartialSamples) {
  PcmCounter pcm;
  EXPECT_EQ(pcm.feed(1), 0u);  // half a sample
  EXPECT_EQ(pcm.feed(4), 2u);  // its other half, one more, and half of a third
  EXPECT_EQ(pcm.leftover(), 1u);
  EXPECT_EQ(pcm.feed(1), 1u);
  EXPECT_EQ(pcm.frames(), 3u);
  PcmCounter stereo(2);
  EXPECT_EQ(stereo.feed(6), 1u);
  EXPECT_EQ(stereo.leftover(), 2u);
}

std::string wav_header(int rate, std::size_t extra_chunk = 0) {
  auto le = [](std::uint32_t v, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return out;
  };
  std::string h = "RIFF" + le(0xFFFFFFFF, 4) + "WAVE";
  if (extra_chunk > 0) h += "LIST" + le(static_cast<std::uint32_t>(extra_chunk), 4) + std::string(extra_chunk, 'x');
  h += "fmt " + le(16, 4) + le(1, 2) + le(1, 2) + le(static_cast<std::uint32_t>(rate), 4) +
       le(static_cast<std::uint32_t>(rate) * 2, 4) + le(2, 2) + le(16, 2);
  return h + "data" + le(0xFFFFFFFF, 4);
}

TEST(SpeechProtocol, StreamedWavHeaderSplitAnywhere) {
  const std::string header = wav_header(16000, 26);
  const std::string stream = header + std::string(10, '\0');
  WavStreamHeader wav;
  std::size_t header_bytes = 0, at = 0;
  while (!wav.complete() && at < stream.size()) {
    const std::size_t n = std::min<std::size_t>(7, stream.size() - at);
    header_bytes += wav.feed(std::string_view(stream).substr(at, n));
    at += n;
  }
  ASSERT_TRUE(wav.complete());
  EXPECT_FALSE(wav.failed());
  EXPECT_EQ(header_bytes, header.size());
  EXPECT_EQ(wav.sample_rate(), 16000);
  EXPECT_EQ(wav.channels(), 1);
  WavStreamHeader not_wav;
  not_wav.feed("ID3 mp3 bytes...");
  EXPECT_TRUE(not_wav.failed());
  std::string float_header = wav_header(24000);
  float_header[20] = 3;  // IEEE float
  WavStreamHeader floats;
  floats.feed(float_header);
  EXPECT_TRUE(floats.failed());
}

// ---- the clients against the fake server ----

// Writes `bytes` as one chunk at +`ms` on the scripted clock and waits until the client has stamped it.
void at(mocks::ScriptedClock& clock, HttpReply& reply, int ms, const std::string& bytes) {
  const auto mark = clock.advance(std::chrono::milliseconds(ms));
  reply.chunk(bytes);
  clock.wait_for_read(mark);
}

class HttpSpeechClientsTest : public ::testing::Test {
 protected:
  LoadResult run(RequestClient& client, std::size_t requests, std::size_t concurrency, const Clock& clock) {
    LoadDriver driver(client, timers_, clock);
    LoadSpec spec;
    spec.requests = requests;
    spec.concurrency = concurrency;
    return driver.run(spec);
  }
  HttpSettings http_for(const mocks::FakeHttpServer& server) {
    HttpSettings http;
    http.base_url = "http://" + server.address();
    http.deadline = std::chrono::seconds(20);
    return http;
  }
  // Runs `requests` one at a time against the fake server answering as handler_ says.
  LoadResult transcribe(const HttpTranscriptionSettings& settings, bool stream, std::size_t requests,
                        const Clock& clock) {
    mocks::FakeHttpServer server(handler_);
    HttpTransport transport(http_for(server), clock);
    const std::vector<Upload> uploads = {{"a.wav", "RIFF-a", 2.0, "and mister john dashwood"},
                                         {"b.wav", "RIFF-b", 3.0, "twenty five years"}};
    HttpTranscriptionClient client(transport, settings, uploads, stream, clock);
    return run(client, requests, 1, clock);
  }
  LoadResult speak(const HttpSpeechSettings& settings, bool sse, std::size_t requests, const Clock& clock) {
    mocks::FakeHttpServer server(handler_);
    HttpTransport transport(http_for(server), clock);
    const std::vector<Prompt> prompts = {{"p0", "Hello there."}};
    HttpSpeechClient client(transport, settings, prompts, sse, clock);
    return run(client, requests, 1, clock);
  }
  template <class Pipeline>
  std::map<std::string, double> counters(const WindowMetrics& m, const std::string& mode) {
    std::map<std::string, double> out;
    for (const auto& spec : Pipeline().counters(mode)) out[spec.name] = spec.value(m);
    return out;
  }

  ThreadTimerQueue timers_;
  mocks::MockHttpHandler handler_;
};

TEST_F(HttpSpeechClientsTest, UploadLatencyErrorRateRtfxAndNormalizedWer) {
  mocks::ScriptedClock clock;
  int call = 0;
  EXPECT_CALL(handler_, respond(_, _)).Times(4).WillRepeatedly([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(req.path, "/v1/audio/transcriptions");
    EXPECT_NE(req.headers.at("content-type").find("multipart/form-data"), std::string::npos);
    EXPECT_NE(req.body.find("filename=\"" + std::string(call % 2 == 0 ? "a.wav" : "b.wav") + "\""), std::string::npos);
    EXPECT_NE(req.body.find("name=\"model\""), std::string::npos);
    const int n = call++;
    clock.advance(std::chrono::milliseconds(n == 2 ? 10 : 250));
    if (n == 2) return reply.whole(503, "application/json", R"({"error":{"message":"overloaded"}})", {{"Retry-After", "1"}});
    // The same words in other forms: no word errors after normalization.
    reply.whole(200, "application/json", json{{"text", n % 2 == 0 ? "And Mr. John Dashwood." : "25 years"}}.dump());
  });
  HttpTranscriptionSettings settings;
  settings.model_name = "whisper-1";
  const auto result = transcribe(settings, false, 4, clock);
  const auto m = summarize_window(result.records, result.window);
  const auto c = counters<HttpTranscriptionPipeline>(m, "upload");
  EXPECT_EQ(m.completed, 3u);
  EXPECT_EQ(m.errors_by_status.at("http_503"), 1u);
  EXPECT_DOUBLE_EQ(c.at("error_rate"), 25.0);
  EXPECT_DOUBLE_EQ(m.latency.mean_ms(), 250.0);
  EXPECT_DOUBLE_EQ(c.at("wer"), 0.0);
  EXPECT_DOUBLE_EQ(c.at("rtfx"), (2.0 + 3.0 + 3.0) / 0.76);  // the failed upload's audio does not count
  EXPECT_EQ(m.word_errors.reference_words, 4u + 2u + 2u);  // "twenty five years" is two words: 25 years
}

TEST_F(HttpSpeechClientsTest, StreamedTranscriptTimesItsFirstText) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_NE(req.body.find("name=\"stream\""), std::string::npos);
    reply.begin(200, "text/event-stream");
    at(clock, reply, 100, sse(R"({"type":"transcript.text.delta","delta":"and mister"})"));
    at(clock, reply, 50, sse(R"({"type":"transcript.text.delta","delta":" john"})"));
    at(clock, reply, 30, sse(R"({"type":"transcript.text.done","text":"and mister john dashwood"})"));
    reply.end();
  });
  HttpTranscriptionSettings settings;
  const auto result = transcribe(settings, true, 1, clock);
  ASSERT_TRUE(result.records[0].ok()) << result.records[0].status.message;
  const auto m = summarize_window(result.records, result.window);
  const auto c = counters<HttpTranscriptionPipeline>(m, "stream");
  EXPECT_DOUBLE_EQ(c.at("first_text_mean_ms"), 100.0);
  EXPECT_DOUBLE_EQ(m.latency.mean_ms(), 180.0);
  EXPECT_DOUBLE_EQ(c.at("wer"), 0.0);  // the done event's text, not the deltas
}

TEST_F(HttpSpeechClientsTest, VllmStreamWithoutDoneEventJoinsItsDeltas) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen&, HttpReply& reply) {
    reply.begin(200, "text/event-stream");
    at(clock, reply, 40, sse(R"({"object":"transcription.chunk","choices":[{"delta":{"content":"and mister john"}}]})"));
    at(clock, reply, 20, sse(R"({"choices":[{"delta":{"content":" dashwood"},"finish_reason":"stop"}]})"));
    at(clock, reply, 5, sse(R"({"choices":[],"usage":{"prompt_tokens":10}})") + sse("[DONE]"));
    reply.end();
  });
  HttpTranscriptionSettings settings;
  const auto result = transcribe(settings, true, 1, clock);
  ASSERT_TRUE(result.records[0].ok()) << result.records[0].status.message;
  const auto m = summarize_window(result.records, result.window);
  EXPECT_DOUBLE_EQ(m.ttft.mean_ms(), 40.0);
  EXPECT_DOUBLE_EQ(m.word_errors.rate(), 0.0);
}

TEST_F(HttpSpeechClientsTest, TranscriptionStreamCutShortAndEmptyTranscriptFail) {
  mocks::ScriptedClock clock;
  int call = 0;
  EXPECT_CALL(handler_, respond(_, _)).Times(2).WillRepeatedly([&](const HttpRequestSeen&, HttpReply& reply) {
    if (call++ == 0) {
      reply.begin(200, "text/event-stream");
      at(clock, reply, 10, sse(R"({"type":"transcript.text.delta","delta":"and"})"));
      return reply.cut();
    }
    reply.whole(200, "application/json", R"({"text":""})");
  });
  HttpTranscriptionSettings settings;
  const auto result = transcribe(settings, true, 2, clock);
  EXPECT_EQ(result.records[0].status.code, 14);  // UNAVAILABLE: cut mid-body
  EXPECT_EQ(result.records[1].status.error_class, "no_text");
}

TEST_F(HttpSpeechClientsTest, RawPcmSplitMidSampleGivesTtfbTtfaGapsAndRtf) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(req.path, "/v1/audio/speech");
    EXPECT_EQ(json::parse(req.body)["input"], "Hello there.");
    reply.begin(200, "audio/pcm");
    at(clock, reply, 40, std::string(1, '\0'));     // a lone byte: the first byte, no sample yet
    at(clock, reply, 20, std::string(4799, '\0'));  // completes 2400 samples: 0.1 s at 24 kHz
    at(clock, reply, 100, std::string(4800, '\0'));
    reply.end();
  });
  HttpSpeechSettings settings;
  const auto result = speak(settings, false, 1, clock);
  ASSERT_TRUE(result.records[0].ok()) << result.records[0].status.message;
  const auto m = summarize_window(result.records, result.window);
  const auto c = counters<HttpSpeechPipeline>(m, "audio");
  EXPECT_DOUBLE_EQ(c.at("ttfb_mean_ms"), 40.0);
  EXPECT_DOUBLE_EQ(c.at("ttfa_mean_ms"), 60.0);
  EXPECT_DOUBLE_EQ(c.at("inter_chunk_mean_ms"), 100.0);
  EXPECT_DOUBLE_EQ(c.at("rtf_mean"), 0.160 / 0.2);
  EXPECT_DOUBLE_EQ(c.at("chars_per_s"), 12.0 / 0.160);
  EXPECT_DOUBLE_EQ(c.at("rtfx"), 0.2 / 0.160);
}

TEST_F(HttpSpeechClientsTest, WavHeaderAloneFirstIsAByteButNotAudio) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen&, HttpReply& reply) {
    reply.begin(200, "audio/wav");
    at(clock, reply, 30, wav_header(16000));
    at(clock, reply, 20, std::string(3200, '\0'));  // 0.1 s at the header's 16 kHz
    reply.end();
  });
  HttpSpeechSettings settings;
  settings.response_format = "wav";
  const auto result = speak(settings, false, 1, clock);
  ASSERT_TRUE(result.records[0].ok()) << result.records[0].status.message;
  const auto m = summarize_window(result.records, result.window);
  EXPECT_DOUBLE_EQ(m.ttfb.mean_ms(), 30.0);
  EXPECT_DOUBLE_EQ(m.ttfa.mean_ms(), 50.0);
  EXPECT_DOUBLE_EQ(audio_seconds(result.records[0]), 0.1);
}

TEST_F(HttpSpeechClientsTest, SseAudioEventsWithAnEmptyDeltaFirst) {
  mocks::ScriptedClock clock;
  const auto delta = [](const std::string& pcm) {
    return sse(json{{"type", "speech.audio.delta"}, {"audio", base64_encode(pcm)}}.dump());
  };
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(json::parse(req.body)["stream_format"], "sse");
    reply.begin(200, "text/event-stream");
    at(clock, reply, 10, delta(""));
    at(clock, reply, 70, delta(std::string(2401, '\0')));  // 1200 samples and a half
    at(clock, reply, 30, delta(std::string(2399, '\0')));  // the other half and 1199 more
    at(clock, reply, 5, sse(R"({"type":"speech.audio.done","usage":{"input_tokens":2}})"));
    reply.end();
  });
  HttpSpeechSettings settings;
  const auto result = speak(settings, true, 1, clock);
  ASSERT_TRUE(result.records[0].ok()) << result.records[0].status.message;
  const auto m = summarize_window(result.records, result.window);
  EXPECT_DOUBLE_EQ(m.ttfb.mean_ms(), 10.0);
  EXPECT_DOUBLE_EQ(m.ttfa.mean_ms(), 80.0);
  EXPECT_DOUBLE_EQ(m.inter_chunk.mean_ms(), 30.0);
  EXPECT_DOUBLE_EQ(audio_seconds(result.records[0]), 2400.0 / 24000.0);
}

TEST_F(HttpSpeechClientsTest, CosyVoiceRawPcmWithNoContentTypeAtItsConfiguredRate) {
  mocks::ScriptedClock clock;
  EXPECT_CALL(handler_, respond(_, _)).WillOnce([&](const HttpRequestSeen& req, HttpReply& reply) {
    EXPECT_EQ(req.path, "/inference_sft");
    EXPECT_EQ(req.body, "tts_text=Hello%20there.&spk_id=");
    reply.begin(200, "");
    at(clock, reply, 600, std::string(44100, '\0'));  // one sentence: 1 s at 22050 Hz
    reply.end();
  });
  HttpSpeechSettings settings;
  settings.dialect = "cosyvoice";
  settings.path = "/inference_sft";
  settings.sample_rate_hz = 22050;
  const auto result = speak(settings, false, 1, clock);
  ASSERT_TRUE(result.records[0].ok()) << result.records[0].status.message;
  const auto m = summarize_window(result.records, result.window);
  EXPECT_DOUBLE_EQ(m.ttfa.mean_ms(), 600.0);
  EXPECT_DOUBLE_EQ(m.mean_real_time_factor(), 0.6);
}

TEST_F(HttpSpeechClientsTest, SpeechFailuresAreCountedByClass) {
  mocks::ScriptedClock clock;
  int call = 0;
  EXPECT_CALL(handler_, respond(_, _)).Times(4).WillRepeatedly([&](const HttpRequestSeen&, HttpReply& reply) {
    switch (call++) {
      case 0:  // SSE without speech.audio.done
        reply.begin(200, "text/event-stream");
        at(clock, reply, 5, sse(json{{"type", "speech.audio.delta"}, {"audio", base64_encode("ab")}}.dump()));
        return reply.end();
      case 1:  // an odd byte left at the end
        reply.begin(200, "text/event-stream");
        at(clock, reply, 5, sse(json{{"type", "speech.audio.delta"}, {"audio", base64_encode("abc")}}.dump()) +
                                sse(R"({"type":"speech.audio.done"})"));
        return reply.end();
      case 2:  // cut mid-body
        reply.begin(200, "text/event-stream");
        at(clock, reply, 5, sse(json{{"type", "speech.audio.delta"}, {"audio", base64_encode("ab")}}.dump()));
        return reply.cut();
      default:
        return reply.whole(429, "application/json", R"({"error":{"message":"slow down"}})", {{"Retry-After", "2"}});
    }
  });
  HttpSpeechSettings settings;
  const auto result = speak(settings, true, 4, clock);
  const auto m = summarize_window(result.records, result.window);
  EXPECT_EQ(m.completed, 0u);
  EXPECT_EQ(m.errors_by_status.at("no_done"), 1u);
  EXPECT_EQ(m.errors_by_status.at("bad_audio"), 1u);
  EXPECT_EQ(m.errors_by_status.at("UNAVAILABLE"), 1u);
  EXPECT_EQ(m.errors_by_status.at("http_429"), 1u);
}

}  // namespace
}  // namespace voxperf
