// The messages of one utterance's StreamingRecognize, serialized once: the config message, then each chunk
// of audio. A paced stream sends a chunk by handing gRPC a reference to these bytes, where it used to copy
// the chunk into its protobuf request and have gRPC serialize that into a new buffer on every write (at
// 3,000 streams, memmove was 3.4 % of the client's CPU and malloc/free, in part for these buffers, 8 %).
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include <cstddef>
#include <vector>

#include "harness/manifest.h"
#include "harness/pipelines/riva_asr/asr_settings.h"

namespace voxperf {

class AsrStreamFrames {
 public:
  // The utterance's audio is cut into chunks of settings.chunk (the last one shorter), as Riva's clients do.
  AsrStreamFrames(const Utterance& utterance, const AsrSettings& settings);

  // Read-only and shared by every stream of the utterance: gRPC copies a ByteBuffer by taking references
  // to its slices, which is safe from any number of threads.
  const grpc::ByteBuffer& config() const { return config_; }
  std::size_t chunks() const { return chunks_.size(); }
  const grpc::ByteBuffer& chunk(std::size_t k) const { return chunks_[k]; }

 private:
  grpc::ByteBuffer config_;
  std::vector<grpc::ByteBuffer> chunks_;
};

}  // namespace voxperf
