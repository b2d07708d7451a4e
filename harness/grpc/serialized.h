// A protobuf message serialized once into a grpc::ByteBuffer, for requests that a client sends many times:
// copying the buffer only takes references to its slices, where sending the message would serialize it again.
#pragma once

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/byte_buffer.h>

#include <stdexcept>
#include <string>

namespace voxperf {

template <class Message>
grpc::ByteBuffer serialized(const Message& message) {
  grpc::ByteBuffer buffer;
  bool own = false;
  const auto status = grpc::SerializationTraits<Message>::Serialize(message, &buffer, &own);
  if (!status.ok()) throw std::runtime_error(message.GetTypeName() + " does not serialize: " + status.error_message());
  return buffer;
}

}  // namespace voxperf
