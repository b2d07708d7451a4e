// The voxperf-refserver binary as CTest fixtures and CI use it: --port 0 with --port-file, a graceful stop
// on SIGTERM, and a clear error with exit code 2 for a bad flag.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "refserver_support.h"
#include "subprocess.h"

namespace voxperf::testing {
namespace {

namespace fs = std::filesystem;
namespace tts = nvidia::riva::tts;

class RefServerProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("voxperf-refserver-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(RefServerProcess, WritesItsPortServesAndStopsOnSigterm) {
  const fs::path port_file = dir_ / "port", log = dir_ / "log";
  const pid_t pid = spawn({VOXPERF_REFSERVER_BIN, "--port", "0", "--port-file", port_file, "--profile", "bs8"}, log);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(eventually([&] { return fs::exists(port_file); })) << read_all(log);
  const int port = std::stoi(read_all(port_file));
  ASSERT_GT(port, 0);

  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto stub = tts::RivaSpeechSynthesis::NewStub(channel);
  tts::SynthesizeSpeechResponse response;
  auto context = context_with_deadline();
  const auto status = stub->Synthesize(context.get(), tts_request("The server runs as its own process."), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(response.audio().size(), 16000u);

  kill(pid, SIGTERM);
  EXPECT_EQ(exit_code(pid), 0);
  const std::string output = read_all(log);
  EXPECT_NE(output.find("listening on 127.0.0.1:" + std::to_string(port) + " profile=bs8"), std::string::npos)
      << output;
  EXPECT_NE(output.find("stopped on SIGTERM"), std::string::npos) << output;
  EXPECT_NE(output.find("tts requests=1"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(port_file)) << "the port file goes away with the server";
}

// A server whose starter is killed (SIGKILL: no chance to stop it) stops too: voxperf_bench starts its
// embedded servers with --exit-with-parent, so a killed sweep leaves no servers behind.
TEST_F(RefServerProcess, ExitsWithItsParentWhenAsked) {
  const fs::path port_file = dir_ / "port", pid_file = dir_ / "pid", log = dir_ / "log";
  const std::string server = std::string(VOXPERF_REFSERVER_BIN) + " --port 0 --port-file " + port_file.string() +
                             " --exit-with-parent";
  const pid_t parent = spawn({"/bin/sh", "-c", server + " & echo $! > " + pid_file.string() + "; wait"}, log);
  ASSERT_TRUE(eventually([&] { return fs::exists(port_file) && fs::exists(pid_file); })) << read_all(log);
  const std::string pid = read_all(pid_file);
  const fs::path stat = "/proc/" + std::to_string(std::stoi(pid)) + "/stat";
  kill(parent, SIGKILL);
  exit_code(parent);
  // Gone, or a zombie nobody has reaped yet: either way no longer serving.
  EXPECT_TRUE(eventually([&] {
    const std::string text = fs::exists(stat) ? read_all(stat) : "";
    return text.empty() || text.find(") Z ") != std::string::npos;
  })) << read_all(log);
}

TEST_F(RefServerProcess, BadFlagsExitWithCodeTwoAndSayWhy) {
  const fs::path log = dir_ / "log";
  EXPECT_EQ(exit_code(spawn({VOXPERF_REFSERVER_BIN, "--profile", "batch8"}, log)), 2);
  EXPECT_NE(read_all(log).find("--profile 'batch8'"), std::string::npos) << read_all(log);
  EXPECT_EQ(exit_code(spawn({VOXPERF_REFSERVER_BIN, "--fault-error", "1.5"}, log)), 2);
  EXPECT_NE(read_all(log).find("--fault-error"), std::string::npos) << read_all(log);
  EXPECT_EQ(exit_code(spawn({VOXPERF_REFSERVER_BIN, "--fault-slowdown", "0.5"}, log)), 2);
  EXPECT_NE(read_all(log).find("--fault-slowdown"), std::string::npos) << read_all(log);
}

TEST_F(RefServerProcess, APortInUseIsAClearError) {
  refserver::RefServer holder({});
  const fs::path log = dir_ / "log";
  EXPECT_EQ(exit_code(spawn({VOXPERF_REFSERVER_BIN, "--port", std::to_string(holder.port())}, log)), 2);
  EXPECT_NE(read_all(log).find("could not listen on 127.0.0.1:" + std::to_string(holder.port())), std::string::npos)
      << read_all(log);
}

}  // namespace
}  // namespace voxperf::testing
