// Per-request errors that a Triton stream reports in error_message (the stream stays open), grouped by
// what went wrong so that a report counts "sequence_not_started 3" rather than 3 different sentences.
#pragma once

#include <string>
#include <vector>

namespace voxperf {

// "kserve:sequence_not_started", "kserve:no_sequence_id", "kserve:shape", "kserve:datatype",
// "kserve:byte_size", "kserve:unknown_model", "kserve:batch_size", or "kserve:other".
std::string kserve_error_class(const std::string& message);

// Every class it gives, without the "kserve:" prefix: each has a counter errors_<class>.
const std::vector<std::string>& kserve_error_classes();

}  // namespace voxperf
