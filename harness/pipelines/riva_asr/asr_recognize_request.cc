#include "harness/pipelines/riva_asr/asr_recognize_request.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace voxperf {

grpc::ByteBuffer recognize_request(const Utterance& utterance, const AsrSettings& settings) {
  using google::protobuf::internal::WireFormatLite;
  const auto audio = utterance.audio.bytes();
  if (audio.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument(utterance.id + ": audio too long for one Recognize request");
  }
  nvidia::riva::asr::RecognizeRequest head;
  *head.mutable_config() = recognition_config(settings, utterance.audio.sample_rate, utterance.audio.channels);
  // Fields may follow one another in any order on the wire: config (field 1), then the audio's tag and
  // length (field 2, length-delimited), then the audio itself as a second slice.
  std::string prefix = head.SerializeAsString();
  {
    google::protobuf::io::StringOutputStream stream(&prefix);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(WireFormatLite::MakeTag(nvidia::riva::asr::RecognizeRequest::kAudioFieldNumber,
                                           WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<std::uint32_t>(audio.size()));
  }
  const grpc::Slice slices[] = {grpc::Slice(prefix), grpc::Slice(audio.data(), audio.size(), grpc::Slice::STATIC_SLICE)};
  return grpc::ByteBuffer(slices, audio.empty() ? 1 : 2);
}

}  // namespace voxperf
