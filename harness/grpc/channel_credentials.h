// gRPC channel credentials for a target: plaintext, TLS with the system's roots or a custom CA, and mutual
// TLS with a client certificate (NVCF-hosted NIM uses TLS with system roots at grpc.nvcf.nvidia.com:443).
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "harness/targets/target.h"

namespace voxperf {

// Throws InputError naming a PEM file that can not be read.
std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const TlsSettings& tls);

}  // namespace voxperf
