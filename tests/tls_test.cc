// TLS as a target file asks for it, against a fake Riva server with a test certificate (tests/data/tls: a
// CA valid for 100 years and a server certificate for riva.voxperf.test and 127.0.0.1, made with openssl).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/grpc/channel_credentials.h"
#include "harness/input_error.h"
#include "mocks/fake_riva_server.h"

namespace voxperf {
namespace {

using ::testing::_;
using ::testing::Return;
namespace fs = std::filesystem;

const fs::path kTls = fs::path(VOXPERF_SOURCE_DIR) / "tests/data/tls";

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<grpc::ServerCredentials> server_tls() {
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({read(kTls / "server.key"), read(kTls / "server.pem")});
  return grpc::SslServerCredentials(options);
}

class Tls : public ::testing::Test {
 protected:
  Tls() : server_({&tts_}, server_tls()) {
    ON_CALL(tts_, GetRivaSynthesisConfig(_, _, _)).WillByDefault(Return(grpc::Status::OK));
    EXPECT_CALL(tts_, GetRivaSynthesisConfig(_, _, _)).Times(::testing::AnyNumber());
  }

  // One config call over a channel made the way voxperf_bench makes it.
  grpc::Status call(const TlsSettings& tls, const std::string& address) {
    Endpoint endpoint;
    endpoint.address = address;
    endpoint.credentials = channel_credentials(tls);
    endpoint.tls_server_name = tls.server_name;
    ChannelPool channels(endpoint);
    auto stub = nvidia::riva::tts::RivaSpeechSynthesis::NewStub(channels.channel(0));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    nvidia::riva::tts::RivaSynthesisConfigResponse response;
    return stub->GetRivaSynthesisConfig(&context, {}, &response);
  }

  mocks::MockRivaTts tts_;
  mocks::FakeServer server_;
};

TEST_F(Tls, CustomCaConnects) {
  TlsSettings tls;
  tls.enabled = true;
  tls.ca_file = kTls / "ca.pem";
  const auto status = call(tls, server_.address());
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(Tls, SystemRootsRejectTheTestCertificate) {
  TlsSettings tls;
  tls.enabled = true;  // no ca_file: the system's roots, which do not know the test CA
  EXPECT_EQ(call(tls, server_.address()).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, PlaintextAgainstTlsFails) {
  EXPECT_EQ(call(TlsSettings{}, server_.address()).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(Tls, ServerNameOverrideMatchesTheCertificate) {
  // "localhost" is not in the certificate; the override names what is.
  const std::string localhost = "localhost" + server_.address().substr(server_.address().rfind(':'));
  TlsSettings tls;
  tls.enabled = true;
  tls.ca_file = kTls / "ca.pem";
  EXPECT_EQ(call(tls, localhost).error_code(), grpc::StatusCode::UNAVAILABLE);
  tls.server_name = "riva.voxperf.test";
  const auto status = call(tls, localhost);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(TlsFiles, UnreadablePemNamesTheField) {
  TlsSettings tls;
  tls.enabled = true;
  tls.ca_file = fs::path(VOXPERF_SOURCE_DIR) / "README.md";
  try {
    channel_credentials(tls);
    FAIL() << "README.md accepted as a CA";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("tls.ca_file"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace voxperf
