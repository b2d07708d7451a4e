#include "mocks/fake_riva_server.h"

#include <stdexcept>
#include <thread>

namespace voxperf::mocks {

FakeServer::FakeServer(std::initializer_list<grpc::Service*> services,
                       std::shared_ptr<grpc::ServerCredentials> credentials) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", credentials, &port);
  for (auto* service : services) builder.RegisterService(service);
  // Handlers of fakes often block (to hold calls in flight); keep enough idle threads polling that a new call
  // is picked up at once instead of waiting for a blocked handler to return.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 8);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  server_ = builder.BuildAndStart();
  if (!server_ || port == 0) throw std::runtime_error("fake server: could not listen on 127.0.0.1");
  address_ = "127.0.0.1:" + std::to_string(port);
}

FakeServer::~FakeServer() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  server_->Wait();
}

Endpoint FakeServer::endpoint(std::size_t channels) const {
  Endpoint endpoint;
  endpoint.address = address_;
  endpoint.channels = channels;
  return endpoint;
}

bool wait_until_cancelled(grpc::ServerContext* context, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!context->IsCancelled()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace voxperf::mocks
