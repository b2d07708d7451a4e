// Turning Riva ASR responses into ResponseEvents (one per message).
#pragma once

#include "harness/request_record.h"
#include "riva/proto/riva_asr.pb.h"

namespace voxperf {

// Final results make a kFinal event with their transcripts concatenated; otherwise interim results with text
// make a kPartial (the first pass of two-pass end of utterance, stability 1, is not a partial transcript, as in
// Riva's C++ client); anything else (VAD-only results, no results) is kEmpty. audio_seconds is the largest
// audio_processed reported.
ResponseEvent asr_response_event(const nvidia::riva::asr::StreamingRecognizeResponse& response, TimePoint at);

// A unary Recognize answer: one kFinal event with every result's top transcript.
ResponseEvent asr_response_event(const nvidia::riva::asr::RecognizeResponse& response, TimePoint at);

}  // namespace voxperf
