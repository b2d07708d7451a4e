#include "harness/grpc/channel_credentials.h"

#include <fstream>
#include <sstream>

#include "harness/input_error.h"

namespace voxperf {
namespace {

std::string read_pem(const std::filesystem::path& path, const char* field) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().find("-----BEGIN") == std::string::npos) {
    throw InputError(std::string("tls.") + field + ": " + path.string() + " is not a readable PEM file");
  }
  return text.str();
}

}  // namespace

std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const TlsSettings& tls) {
  if (!tls.enabled) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;  // empty roots: gRPC uses the system's
  if (!tls.ca_file.empty()) options.pem_root_certs = read_pem(tls.ca_file, "ca_file");
  if (!tls.client_cert.empty()) {
    options.pem_cert_chain = read_pem(tls.client_cert, "client_cert");
    options.pem_private_key = read_pem(tls.client_key, "client_key");
  }
  return grpc::SslCredentials(options);
}

}  // namespace voxperf
