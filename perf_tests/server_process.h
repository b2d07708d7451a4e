// A voxperf-refserver started as a child process: the way to measure the server's own CPU time apart from
// the client's (capacity per core), and the shape CTest fixtures and multi-instance runs use.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace voxperf::bench {

// User plus system CPU seconds process `pid` has used so far (/proc/PID/stat). Throws std::runtime_error when
// it has exited.
double process_cpu_seconds(pid_t pid);

class ServerProcess {
 public:
  // Starts `binary` with --port 0 --port-file and `args`, and waits (up to 60 s) for its ports (gRPC, HTTP). Throws
  // InputError with the server's output when it exits or does not come up.
  ServerProcess(const std::filesystem::path& binary, const std::vector<std::string>& args);
  // SIGTERM, then waits for it to exit.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }  // gRPC
  std::string http_address() const { return "127.0.0.1:" + std::to_string(http_port_); }  // OpenAI HTTP API
  // User plus system CPU seconds the server has used so far (/proc/PID/stat). Throws std::runtime_error with
  // the server's output if it has exited.
  double cpu_seconds() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int http_port_ = 0;
  std::filesystem::path dir_;
};

}  // namespace voxperf::bench
