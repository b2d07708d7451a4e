#include "perf_tests/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/input_error.h"

extern char** environ;

namespace voxperf::bench {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

ServerProcess::ServerProcess(const std::filesystem::path& binary, const std::vector<std::string>& args) {
  char pattern[] = "/tmp/voxperf-server-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw InputError("could not make a temporary directory under /tmp");
  dir_ = pattern;
  const auto port_file = dir_ / "port";
  const auto log = dir_ / "log";
  std::vector<std::string> argv_strings{binary.string(), "--port", "0", "--port-file", port_file.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw InputError(binary.string() + ": could not start it (" + std::strerror(error) + ")");

  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!std::filesystem::exists(port_file)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_ || std::chrono::steady_clock::now() > give_up) {
      const std::string output = read_file(log);
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      pid_ = -1;
      std::filesystem::remove_all(dir_);
      throw InputError(binary.string() + " did not start: " + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::istringstream ports(read_file(port_file));
  ports >> port_ >> http_port_;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

double process_cpu_seconds(pid_t pid) {
  // Fields 14 and 15 of /proc/PID/stat, after the parenthesized command name, are utime and stime in ticks.
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos || name_end + 2 >= stat.size() || stat[name_end + 2] == 'Z') {
    throw std::runtime_error("process " + std::to_string(pid) + " has exited");
  }
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ServerProcess::cpu_seconds() const {
  try {
    return process_cpu_seconds(pid_);
  } catch (const std::runtime_error&) {
    throw std::runtime_error("the server exited during the run; its output: " + read_file(dir_ / "log"));
  }
}

}  // namespace voxperf::bench
