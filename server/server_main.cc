#include "server/server_main.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fstream>
#include <system_error>

#include "harness/input_error.h"

namespace voxperf {

sigset_t block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return stop_signals;
}

bool exit_with_parent() {
  const pid_t parent = getppid();
  return prctl(PR_SET_PDEATHSIG, SIGTERM) == 0 && getppid() == parent;
}

void write_port_file(const std::filesystem::path& path, int port, int http_port) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary);
    out << port << '\n' << http_port << '\n';
    if (!out) throw InputError("--port-file " + path.string() + ": can not write it");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw InputError("--port-file " + path.string() + ": " + error.message());
}

}  // namespace voxperf
