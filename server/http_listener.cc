#include "server/http_listener.h"

#include <httplib.h>
#include <sys/socket.h>
#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "server/chunk_channel.h"

namespace voxperf::refserver {

void send_json_error(httplib::Response& res, int status, const std::string& message, const char* type) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", {{"message", message}, {"type", type}, {"code", status}}}}.dump(),
                  "application/json");
}

void stream_chunks(httplib::Response& res, const char* content_type, std::shared_ptr<ChunkChannel> channel) {
  res.set_chunked_content_provider(
      content_type,
      [channel](std::size_t, httplib::DataSink& sink) {
        std::string chunk;
        if (!channel->pop(chunk)) {
          if (!channel->completed()) return false;
          sink.done();
          return true;
        }
        if (!sink.write(chunk.data(), chunk.size())) return channel->close(), false;
        return true;
      },
      [channel](bool) { channel->close(); });
}

HttpListener::HttpListener(std::size_t connection_threads) : server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [connection_threads] { return new httplib::ThreadPool(connection_threads); };
  server_->set_keep_alive_max_count(1'000'000);  // the default (5) would close a connection every 5 requests
  server_->set_keep_alive_timeout(5);
  server_->set_payload_max_length(kMaxBody);
  server_->set_tcp_nodelay(true);
  server_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a route's own error
    if (res.status == 413) {
      return send_json_error(res, 413, "the request body is larger than " + std::to_string(kMaxBody >> 20) + " MiB",
                             "RequestEntityTooLarge");
    }
    if (res.status == 404) return send_json_error(res, 404, "no route " + req.method + " " + req.path, "NotFoundError");
    send_json_error(res, res.status, "HTTP " + std::to_string(res.status), "Error");
  });
}

HttpListener::~HttpListener() { stop(); }

void HttpListener::start(const std::string& host, int port) {
  // Debian's libcpp-httplib is built with a listen backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG): 512 clients
  // connecting at once overflow it, and the kernel's SYN retries (1 s, 3 s, 7 s ...) then show up as
  // seconds of latency and as connect timeouts. Its socket-options hook hands over the listening socket, so
  // the backlog is raised here, after it listens (listen() again on a listening socket only resizes the queue).
  int listening = -1;
  server_->set_socket_options([&listening](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // what httplib's default options set
    listening = sock;
  });
  port_ = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) throw InputError("HTTP " + host + ":" + std::to_string(port) + ": can not bind it");
  if (listening >= 0) ::listen(listening, kListenBacklog);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void HttpListener::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace voxperf::refserver
