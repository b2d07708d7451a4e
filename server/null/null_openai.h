// The OpenAI completions API with no model behind it (voxperf-nullserver): /v1/chat/completions and
// /v1/completions answer max_tokens (or the script's llm_tokens) tokens of " null", streamed as SSE or whole,
// the first after the script's first delay and each later one after its later delay (the scripted TTFT and
// ITL), with usage when asked for; /v1/models lists the one model. Each answer's schedule is kept from the
// time the request arrived, so the delays do not drift by the cost of writing.
#pragma once

#include <atomic>

#include "server/null/null_script.h"

namespace httplib {
class Server;
}

namespace voxperf::nullserver {

class NullOpenAi {
 public:
  static constexpr const char* kModel = "null-llm";
  static constexpr const char* kToken = " null";

  // Adds its routes to `http`; `script` must outlive it.
  NullOpenAi(NullScript& script, httplib::Server& http);

 private:
  NullScript& script_;
  std::atomic<std::uint64_t> next_id_{1};
};

}  // namespace voxperf::nullserver
