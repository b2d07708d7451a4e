// What the main() of every voxperf server does alike: stop signals taken by sigwait, an optional death with
// the process that started it, and the port file its starter polls.
#pragma once

#include <signal.h>

#include <filesystem>

namespace voxperf {

// Blocks SIGTERM and SIGINT on the calling thread; call it before any other thread starts, so that every
// thread inherits the mask and sigwait on the returned set is the only place they arrive.
sigset_t block_stop_signals();

// Asks Linux to send SIGTERM when the parent exits (voxperf_bench's embedded servers: killed or crashed, it
// must not leave them running). False when that fails or the parent is already gone.
bool exit_with_parent();

// Writes the bound ports (gRPC, then HTTP, one per line) to a temporary file renamed into place, so that a
// poller never reads half of it. Throws InputError naming --port-file.
void write_port_file(const std::filesystem::path& path, int port, int http_port);

}  // namespace voxperf
