// The HTTP transport on the wire: TLS with the targets file's settings (CA file, server_name), HTTP/2 through
// libcurl's nghttp2 (cleartext prior knowledge and ALPN over TLS) against nghttpd, refused connections and
// cancellation. Servers: cpp-httplib's SSLServer with the test certificate (tests/data/tls), and Debian's
// nghttpd (nghttp2-server), skipped with a message where it is not installed.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "harness/http/http_transport.h"
#include "subprocess.h"

namespace voxperf {
namespace {

namespace fs = std::filesystem;
const fs::path kTls = fs::path(VOXPERF_SOURCE_DIR) / "tests/data/tls";

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// cpp-httplib over TLS with the test certificate (valid for riva.voxperf.test and 127.0.0.1).
class TlsServer {
 public:
  TlsServer() : server_((kTls / "server.pem").c_str(), (kTls / "server.key").c_str()) {
    server_.Get("/hello", [](const httplib::Request&, httplib::Response& res) { res.set_content("hi", "text/plain"); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~TlsServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

// TLS to `server` with the test CA.
HttpSettings tls_to(const TlsServer& server) {
  HttpSettings settings;
  settings.base_url = "https://127.0.0.1:" + std::to_string(server.port());
  settings.tls.enabled = true;
  settings.tls.ca_file = kTls / "ca.pem";
  return settings;
}

HttpTransport::Reply get(HttpSettings settings, const std::string& path) {
  HttpTransport transport(std::move(settings));
  return transport.fetch({"GET", path, "", {}});
}

TEST(HttpTransportTls, TheCaFileVerifiesTheServer) {
  TlsServer server;
  const auto reply = get(tls_to(server), "/hello");
  ASSERT_TRUE(reply.status.ok()) << reply.status.message;
  EXPECT_EQ(reply.body, "hi");
}

TEST(HttpTransportTls, ServerNameIsAskedForWhileTheEndpointIsDialled) {
  TlsServer server;
  HttpSettings settings = tls_to(server);
  settings.tls.server_name = "riva.voxperf.test";  // not resolvable: CONNECT_TO dials 127.0.0.1
  const auto reply = get(settings, "/hello");
  ASSERT_TRUE(reply.status.ok()) << reply.status.message;
  settings.tls.server_name = "other.voxperf.test";  // not in the certificate
  const auto wrong = get(settings, "/hello");
  EXPECT_EQ(wrong.status.code, 14);
  EXPECT_EQ(wrong.status.error_class, "tls") << wrong.status.message;
}

TEST(HttpTransportTls, AnUnknownCaFailsAsTls) {
  TlsServer server;
  HttpSettings settings = tls_to(server);
  settings.tls.ca_file.clear();  // the system's roots do not know the test CA
  const auto reply = get(settings, "/hello");
  EXPECT_EQ(reply.status.error_class, "tls") << reply.status.message;
}

TEST(HttpTransport, RefusedAndCancelled) {
  HttpSettings settings;
  settings.base_url = "http://127.0.0.1:" + std::to_string(free_port());
  const auto refused = get(settings, "/x");
  EXPECT_EQ(refused.status.code, 14) << refused.status.message;  // UNAVAILABLE

  httplib::Server slow;
  std::promise<void> release;
  auto released = release.get_future().share();
  slow.Get("/stall", [released](const httplib::Request&, httplib::Response& res) {
    released.wait_for(std::chrono::seconds(20));
    res.set_content("late", "text/plain");
  });
  const int port = slow.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { slow.listen_after_bind(); });
  {
    settings.base_url = "http://127.0.0.1:" + std::to_string(port);
    HttpTransport transport(settings);
    const auto reply = transport.fetch({"GET", "/stall", "", {}}, std::chrono::milliseconds(200));
    EXPECT_EQ(reply.status.code, 1) << reply.status.message;  // CANCELLED: fetch gave up and cancelled it
  }
  release.set_value();
  slow.stop();
  thread.join();
}

// nghttpd serving a directory, cleartext (h2c) or over TLS (h2 by ALPN).
class Nghttpd {
 public:
  explicit Nghttpd(bool tls) : dir_(fs::temp_directory_path() / ("voxperf-nghttpd-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    std::ofstream(dir_ / "events") << "data: {\"x\": 1}\n\ndata: [DONE]\n\n";
    port_ = free_port();
    std::vector<std::string> args = {"/usr/sbin/nghttpd", "-d", dir_.string()};
    if (!tls) args.push_back("--no-tls");
    args.push_back(std::to_string(port_));
    if (tls) {
      args.push_back((kTls / "server.key").string());
      args.push_back((kTls / "server.pem").string());
    }
    pid_ = testing::spawn(args, dir_ / "log");
    // Ready when it accepts a connection (bounded: a broken nghttpd fails the test, it does not hang it).
    for (int i = 0; i < 300 && !accepts(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Nghttpd() {
    ::kill(pid_, SIGTERM);
    testing::exit_code(pid_);
    fs::remove_all(dir_);
  }
  int port() const { return port_; }
  std::string log() const { return testing::read_all(dir_ / "log"); }

 private:
  bool accepts() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
  }
  fs::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST(HttpTransportHttp2, CleartextPriorKnowledgeAndAlpn) {
  if (!fs::exists("/usr/sbin/nghttpd")) GTEST_SKIP() << "nghttpd is not installed (Debian package nghttp2-server)";
  for (const bool tls : {false, true}) {
    Nghttpd server(tls);
    HttpSettings settings;
    settings.base_url = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(server.port());
    settings.http2 = true;
    settings.tls.enabled = tls;
    settings.tls.ca_file = tls ? kTls / "ca.pem" : fs::path();
    HttpTransport transport(settings);
    for (int i = 0; i < 3; ++i) {
      const auto reply = transport.fetch({"GET", "/events", "", {}});
      ASSERT_TRUE(reply.status.ok()) << (tls ? "h2: " : "h2c: ") << reply.status.message << "\nnghttpd: " << server.log();
      EXPECT_EQ(reply.body, "data: {\"x\": 1}\n\ndata: [DONE]\n\n");
    }
    EXPECT_EQ(transport.http2_transfers(), 3u) << (tls ? "h2" : "h2c");
    // libcurl < 8.0 can not reuse an h2c connection (curl/curl#10634): one per request there.
    const std::size_t connections = tls || h2c_reuse_works() ? 1u : 3u;
    EXPECT_EQ(transport.connections_opened(), connections) << (tls ? "h2" : "h2c") << ": three requests in turn";
  }
}

}  // namespace
}  // namespace voxperf
