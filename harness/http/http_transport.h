// The HTTP transport of the HTTP pipelines: one libcurl multi handle per opened target, driven by one event
// loop thread that runs every transfer of every case (no thread per request). The multi handle keeps the
// connection cache, so keep-alive connections are reused from request to request (HTTP/1.1), or streams are
// multiplexed on few connections (HTTP/2, nghttp2 inside libcurl).
//
// A transfer tells its HttpExchange what happened, on the loop thread and in order: on_response once (status
// and content type), on_body for every read as it arrived (stamped with the clock right then), on_done once.
// Headers (API keys) are set on each transfer and never logged; libcurl's verbose mode stays off.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "harness/clock.h"
#include "harness/status.h"
#include "harness/targets/target.h"

namespace voxperf {

struct HttpSettings {
  // "http://127.0.0.1:8000" or "https://integrate.api.nvidia.com": scheme, host and port; paths are added per
  // request.
  std::string base_url;
  bool http2 = false;  // HTTP/2: ALPN over TLS, prior knowledge (h2c) over plaintext
  TlsSettings tls;     // CA, client certificate; server_name: the certificate's name, dialled at base_url's host
  std::vector<std::pair<std::string, std::string>> headers;  // sent with every request; secrets: never printed
  std::chrono::milliseconds deadline{60'000};                // per request, connecting included
  std::size_t max_connections = 0;                           // per host; 0: as many as transfers need
};

// One part of a multipart/form-data body (a file upload when it has a filename).
struct FormPart {
  std::string name;          // "file", "model"
  std::string value;         // the text, or the file's bytes
  std::string filename;      // "utt1.wav"; empty: a plain field
  std::string content_type;  // "audio/wav"; empty: none sent
};

struct HttpRequest {
  std::string method = "POST";  // POST or GET
  std::string path;             // "/v1/chat/completions"
  std::string body;             // ignored when `form` is set
  std::vector<std::pair<std::string, std::string>> headers;  // this request's own: "Content-Type" ...
  // When not empty, the body is multipart/form-data of these parts, encoded by libcurl (curl_mime).
  std::vector<FormPart> form = {};
};

class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  // The status line and headers are in. `content_type` is empty when the server sent none.
  virtual void on_response(long http_status, std::string_view content_type) = 0;
  // Body bytes of one read (chunked framing removed), and when they arrived. Not called for a non-2xx
  // response: its body goes into on_done's message.
  virtual void on_body(std::string_view bytes, TimePoint at) = 0;
  // The transfer is over: OK when it completed with a 2xx status; else what went wrong (http_error, or the
  // transport's failure: UNAVAILABLE for refused, reset or cut connections, DEADLINE_EXCEEDED past the
  // deadline, CANCELLED when cancelled). Called exactly once, last.
  virtual void on_done(const Status& status, TimePoint at) = 0;
};

// Whether this libcurl can reuse an HTTP/2 cleartext (prior knowledge) connection: 8.0 and later
// (curl/curl#10634). Before, each h2c request opens its own connection.
bool h2c_reuse_works();

class HttpTransport {
 public:
  using TransferId = std::uint64_t;

  HttpTransport(HttpSettings settings, const Clock& clock = SystemClock::instance());
  // Ends every transfer still running (on_done CANCELLED) and stops the loop.
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Starts a transfer; thread-safe, returns at once.
  TransferId start(HttpRequest request, std::shared_ptr<HttpExchange> exchange);
  // Abandons a transfer (thread-safe, idempotent; a finished one is left alone): on_done CANCELLED.
  void cancel(TransferId id);

  // A blocking request for set-up questions (/v1/models, health): the status and the whole body.
  struct Reply {
    Status status;
    long http_status = 0;
    std::string body;
  };
  Reply fetch(HttpRequest request, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  const HttpSettings& settings() const { return settings_; }
  // Connections libcurl opened so far (keep-alive: stays near the peak number of transfers at once).
  std::size_t connections_opened() const;
  // Transfers that ended over HTTP/2 (the rest used HTTP/1.x).
  std::size_t http2_transfers() const;

 private:
  struct Transfer;
  void loop();
  void begin(std::unique_ptr<Transfer> transfer);
  void finish(CURL* easy, CURLcode result);
  void abandon(TransferId id, const char* why);
  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user);

  HttpSettings settings_;
  const Clock& clock_;
  curl_slist* connect_to_ = nullptr;  // tls.server_name: dial base_url's host for the certificate's name
  std::string url_prefix_;            // base_url, with server_name in place of the host when it is set
  CURLM* multi_ = nullptr;

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> starting_;
  std::vector<TransferId> cancelling_;
  bool stopping_ = false;
  TransferId next_id_ = 1;
  std::size_t connections_ = 0;
  std::size_t http2_transfers_ = 0;

  std::map<TransferId, std::unique_ptr<Transfer>> running_;  // loop thread only
  std::thread thread_;
};

}  // namespace voxperf
