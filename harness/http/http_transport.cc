#include "harness/http/http_transport.h"

#include <future>
#include <stdexcept>

#include "harness/http/http_status.h"
#include "harness/input_error.h"

namespace voxperf {
namespace {

constexpr std::size_t kErrorBodyKept = 4096;  // of a non-2xx body, for the message

void initialize_curl() {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialized) throw std::runtime_error("libcurl could not be initialized");
}

struct UrlParts {
  std::string scheme, host, port, rest;
};

// "https://host:443/prefix" -> parts; the port defaults by scheme. Throws InputError on anything else.
UrlParts split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw InputError("endpoint '" + url + "': expected http://HOST:PORT or https://HOST");
  UrlParts parts;
  parts.scheme = url.substr(0, scheme_end);
  if (parts.scheme != "http" && parts.scheme != "https") {
    throw InputError("endpoint '" + url + "': the scheme must be http or https");
  }
  const auto host_begin = scheme_end + 3;
  const auto path_begin = url.find('/', host_begin);
  std::string authority = url.substr(host_begin, path_begin == std::string::npos ? std::string::npos : path_begin - host_begin);
  parts.rest = path_begin == std::string::npos ? "" : url.substr(path_begin);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    parts.host = authority.substr(0, colon);
    parts.port = authority.substr(colon + 1);
  } else {
    parts.host = authority;
    parts.port = parts.scheme == "https" ? "443" : "80";
  }
  if (parts.host.empty()) throw InputError("endpoint '" + url + "': no host");
  return parts;
}

}  // namespace

bool h2c_reuse_works() { return curl_version_info(CURLVERSION_NOW)->version_num >= 0x080000; }

namespace {

// What a failed transfer means, in the common vocabulary.
Status transport_error(CURLcode code, const char* detail, const std::string& endpoint) {
  std::string message = endpoint + ": " + (detail[0] != '\0' ? detail : curl_easy_strerror(code));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return {4, message, {}};  // DEADLINE_EXCEEDED
    case CURLE_ABORTED_BY_CALLBACK: return {1, message, {}};  // CANCELLED
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE: return {14, message, "tls"};  // UNAVAILABLE, counted apart
    default: return {14, message, {}};                            // UNAVAILABLE: refused, reset, cut short
  }
}

}  // namespace

struct HttpTransport::Transfer {
  TransferId id = 0;
  HttpTransport* owner = nullptr;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_mime* mime = nullptr;
  HttpRequest request;
  std::string url;
  std::shared_ptr<HttpExchange> exchange;
  long http_status = 0;
  bool told_response = false;
  std::string error_body;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_mime_free(mime);
    curl_slist_free_all(headers);
  }

  // Tells the exchange the status line once, when the first body bytes (or the end) arrive.
  void tell_response() {
    if (told_response) return;
    told_response = true;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http_status);
    const char* type = nullptr;
    curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &type);
    exchange->on_response(http_status, type ? type : "");
  }
  bool success_status() const { return http_status >= 200 && http_status < 300; }
};

HttpTransport::HttpTransport(HttpSettings settings, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {
  initialize_curl();
  const UrlParts parts = split_url(settings_.base_url);
  if (settings_.tls.enabled && parts.scheme != "https") {
    throw InputError("endpoint '" + settings_.base_url + "': tls is on, so the scheme must be https");
  }
  std::string host = parts.host;
  if (!settings_.tls.server_name.empty()) {
    // The certificate says server_name: ask for that name (SNI, Host, verification) and dial the endpoint.
    host = settings_.tls.server_name;
    const std::string entry = host + ":" + parts.port + ":" + parts.host + ":" + parts.port;
    connect_to_ = curl_slist_append(nullptr, entry.c_str());
  }
  url_prefix_ = parts.scheme + "://" + host + ":" + parts.port + parts.rest;
  while (!url_prefix_.empty() && url_prefix_.back() == '/') url_prefix_.pop_back();
  multi_ = curl_multi_init();
  if (!multi_) throw std::runtime_error("libcurl: curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 100'000L);  // keep every idle connection for reuse
  if (settings_.max_connections > 0) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(settings_.max_connections));
  }
  thread_ = std::thread([this] { loop(); });
}

HttpTransport::~HttpTransport() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  curl_multi_wakeup(multi_);
  thread_.join();
  curl_multi_cleanup(multi_);
  curl_slist_free_all(connect_to_);
}

HttpTransport::TransferId HttpTransport::start(HttpRequest request, std::shared_ptr<HttpExchange> exchange) {
  auto transfer = std::make_unique<Transfer>();
  transfer->owner = this;
  transfer->request = std::move(request);
  transfer->url = url_prefix_ + transfer->request.path;
  transfer->exchange = std::move(exchange);
  TransferId id;
  {
    std::lock_guard lock(mutex_);
    id = transfer->id = next_id_++;
    starting_.push_back(std::move(transfer));
  }
  curl_multi_wakeup(multi_);
  return id;
}

void HttpTransport::cancel(TransferId id) {
  {
    std::lock_guard lock(mutex_);
    cancelling_.push_back(id);
  }
  curl_multi_wakeup(multi_);
}

std::size_t HttpTransport::connections_opened() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

std::size_t HttpTransport::http2_transfers() const {
  std::lock_guard lock(mutex_);
  return http2_transfers_;
}

std::size_t HttpTransport::on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  transfer->tell_response();
  if (transfer->success_status()) {
    transfer->exchange->on_body({data, bytes}, transfer->owner->clock_.now());
  } else if (transfer->error_body.size() < kErrorBodyKept) {
    transfer->error_body.append(data, std::min(bytes, kErrorBodyKept - transfer->error_body.size()));
  }
  return bytes;
}

void HttpTransport::begin(std::unique_ptr<Transfer> transfer) {
  CURL* easy = curl_easy_init();
  transfer->easy = easy;
  const HttpRequest& request = transfer->request;
  curl_easy_setopt(easy, CURLOPT_URL, transfer->url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &HttpTransport::on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.deadline.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(settings_.deadline.count(), 10'000)));
  if (settings_.http2) {
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
                     settings_.tls.enabled ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);  // wait to multiplex on a connection rather than open one
    // libcurl before 8.0 breaks a reused h2c (prior knowledge) connection with "Error in the HTTP2 framing
    // layer" (curl/curl#10634, fixed by #10643); Debian 12 has 7.88.1. There, each h2c request gets a
    // connection of its own: correct, if not multiplexed. HTTP/2 over TLS (ALPN) is not affected.
    if (!settings_.tls.enabled && !h2c_reuse_works()) curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  }
  if (settings_.tls.enabled) {
    if (!settings_.tls.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, settings_.tls.ca_file.c_str());
    if (!settings_.tls.client_cert.empty()) {
      curl_easy_setopt(easy, CURLOPT_SSLCERT, settings_.tls.client_cert.c_str());
      curl_easy_setopt(easy, CURLOPT_SSLKEY, settings_.tls.client_key.c_str());
    }
  }
  if (connect_to_) curl_easy_setopt(easy, CURLOPT_CONNECT_TO, connect_to_);
  for (const auto& [name, value] : settings_.headers) {
    transfer->headers = curl_slist_append(transfer->headers, (name + ": " + value).c_str());
  }
  for (const auto& [name, value] : request.headers) {
    transfer->headers = curl_slist_append(transfer->headers, (name + ": " + value).c_str());
  }
  // libcurl would send "Expect: 100-continue" for large bodies, costing a round trip servers rarely want.
  transfer->headers = curl_slist_append(transfer->headers, "Expect:");
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
  if (!request.form.empty()) {
    transfer->mime = curl_mime_init(easy);
    for (const FormPart& part : request.form) {
      curl_mimepart* field = curl_mime_addpart(transfer->mime);
      curl_mime_name(field, part.name.c_str());
      curl_mime_data(field, part.value.data(), part.value.size());
      if (!part.filename.empty()) curl_mime_filename(field, part.filename.c_str());
      if (!part.content_type.empty()) curl_mime_type(field, part.content_type.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_MIMEPOST, transfer->mime);
    if (request.method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_multi_add_handle(multi_, easy);
  running_.emplace(transfer->id, std::move(transfer));
}

void HttpTransport::finish(CURL* easy, CURLcode result) {
  Transfer* raw = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
  curl_multi_remove_handle(multi_, easy);
  auto it = running_.find(raw->id);
  std::unique_ptr<Transfer> transfer = std::move(it->second);
  running_.erase(it);
  long connects = 0, version = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  {
    std::lock_guard lock(mutex_);
    connections_ += static_cast<std::size_t>(connects);
    http2_transfers_ += version == CURL_HTTP_VERSION_2_0;
  }
  const TimePoint at = clock_.now();
  Status status;
  if (result != CURLE_OK) {
    status = transport_error(result, transfer->error, settings_.base_url + transfer->request.path);
  } else {
    transfer->tell_response();
    if (!transfer->success_status()) {
      status = http_error(transfer->http_status, transfer->error_body, settings_.base_url + transfer->request.path);
    }
  }
  transfer->exchange->on_done(status, at);
}

void HttpTransport::abandon(TransferId id, const char* why) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  std::unique_ptr<Transfer> transfer = std::move(it->second);
  running_.erase(it);
  curl_multi_remove_handle(multi_, transfer->easy);
  transfer->exchange->on_done({1, settings_.base_url + transfer->request.path + ": " + why, {}}, clock_.now());
}

void HttpTransport::loop() {
  for (;;) {
    std::vector<std::unique_ptr<Transfer>> starting;
    std::vector<TransferId> cancelling;
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      starting.swap(starting_);
      cancelling.swap(cancelling_);
      stopping = stopping_;
    }
    for (auto& transfer : starting) begin(std::move(transfer));
    for (TransferId id : cancelling) abandon(id, "cancelled");
    if (stopping) {
      while (!running_.empty()) abandon(running_.begin()->first, "the transport was closed");
      return;
    }
    int still_running = 0;
    curl_multi_perform(multi_, &still_running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg == CURLMSG_DONE) finish(message->easy_handle, message->data.result);
    }
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);  // woken by traffic, timers or curl_multi_wakeup
  }
}

namespace {

// Collects a whole reply for fetch().
class Collector final : public HttpExchange {
 public:
  void on_response(long http_status, std::string_view) override { reply_.http_status = http_status; }
  void on_body(std::string_view bytes, TimePoint) override { reply_.body.append(bytes); }
  void on_done(const Status& status, TimePoint) override {
    reply_.status = status;
    done_.set_value(std::move(reply_));
  }
  std::future<HttpTransport::Reply> future() { return done_.get_future(); }

 private:
  HttpTransport::Reply reply_;
  std::promise<HttpTransport::Reply> done_;
};

}  // namespace

HttpTransport::Reply HttpTransport::fetch(HttpRequest request, std::chrono::milliseconds timeout) {
  auto collector = std::make_shared<Collector>();
  auto future = collector->future();
  const TransferId id = start(std::move(request), collector);
  if (future.wait_for(timeout) != std::future_status::ready) cancel(id);
  return future.get();
}

}  // namespace voxperf
