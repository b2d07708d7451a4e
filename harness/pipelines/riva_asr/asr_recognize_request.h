// A unary Recognize request as the bytes gRPC sends: the config serialized once, and the utterance's audio
// referenced where it lies instead of copied. A closed loop sends each utterance thousands of times, and
// copying its audio into a new RecognizeRequest for each was most of what a request cost the client.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include "harness/manifest.h"
#include "harness/pipelines/riva_asr/asr_settings.h"

namespace voxperf {

// The serialized RecognizeRequest {config, audio} for `utterance`, which must outlive the buffer and its copies.
grpc::ByteBuffer recognize_request(const Utterance& utterance, const AsrSettings& settings);

}  // namespace voxperf
