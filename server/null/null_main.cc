// voxperf-nullserver: a server that answers Riva ASR/TTS, KServe and the OpenAI API at once or after scripted delays
// and does no other work (null_server.h), for measuring voxperf itself: its pacing, its latency error against
// the script, its CPU and memory per stream. Prints one line when it starts and one when it stops; SIGTERM or
// SIGINT stops it. Its --port-file is the reference server's, so voxperf's ServerProcess starts either.
#include <CLI/CLI.hpp>
#include <sys/prctl.h>

#include <signal.h>

#include <filesystem>
#include <iostream>

#include "harness/grpc/lock_checks.h"
#include "harness/input_error.h"
#include "server/null/null_server.h"
#include "server/server_main.h"


int main(int argc, char** argv) {
  using namespace voxperf::nullserver;
  voxperf::disable_lock_order_checks();
  CLI::App app{"voxperf-nullserver: Riva ASR/TTS, KServe and OpenAI answers after scripted delays, with no engine behind them"};
  NullServerOptions options;
  std::string first = "0", later = "0", port_file;
  bool exit_with_parent = false;
  app.add_option("--host", options.host, "address to bind (a numeric IP)")->capture_default_str();
  app.add_option("--port", options.port, "gRPC port; 0 picks a free one")->capture_default_str();
  app.add_option("--http-port", options.http_port, "OpenAI API port; 0 picks a free one")->capture_default_str();
  std::string grpc_kind = "grpc";
  app.add_option("--grpc-server", grpc_kind,
                 "what serves the gRPC port: grpc (gRPC C++: Riva ASR/TTS, KServe, health) or nghttp2 (Riva ASR "
                 "only, at a fraction of the CPU: for measuring voxperf's own cost)")
      ->check(CLI::IsMember({"grpc", "nghttp2"}))
      ->capture_default_str();
  app.add_option("--port-file", port_file, "write the bound ports (gRPC, then HTTP) to this file once listening");
  app.add_option("--first-delay", first,
                 "ms before each request's first answer (unary response, KServe answer, ASR final after the "
                 "half-close, first TTS audio, first LLM token): MS, uniform:LOW:HIGH, exp:MEAN or lognormal:MEDIAN:SIGMA")
      ->capture_default_str();
  app.add_option("--later-delay", later, "ms before each later answer (TTS audio chunk, LLM token), same forms")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "seed of the drawn delays")->capture_default_str();
  app.add_option("--http-connections", options.http_connections, "HTTP connections served at once")
      ->capture_default_str();
  app.add_option("--llm-tokens", options.llm_tokens, "tokens of an answer that asks for no max_tokens")
      ->capture_default_str();
  app.add_flag("--exit-with-parent", exit_with_parent, "exit when the process that started it exits");
  CLI11_PARSE(app, argc, argv);

  const sigset_t stop_signals = voxperf::block_stop_signals();  // taken by sigwait on this thread
  if (exit_with_parent && !voxperf::exit_with_parent()) return 1;
  // Linux lets a sleeping thread wake up to 50 us late (timer slack) to batch wake-ups; a known-delay server
  // must not add that to its script. Threads started from here on inherit it.
  prctl(PR_SET_TIMERSLACK, 1UL);

  try {
    options.first_delay = DelayModel::parse(first, "--first-delay");
    options.later_delay = DelayModel::parse(later, "--later-delay");
    options.grpc_server = grpc_kind == "nghttp2" ? GrpcServer::kNghttp2 : GrpcServer::kGrpcCpp;
    NullServer server(options);
    if (!port_file.empty()) voxperf::write_port_file(port_file, server.port(), server.http_port());
    std::cout << "voxperf-nullserver: " << server.describe() << std::endl;
    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.shutdown();
    std::cout << "voxperf-nullserver: stopped on " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << "; "
              << server.activity() << std::endl;
    if (!port_file.empty()) std::filesystem::remove(port_file);
    return 0;
  } catch (const voxperf::InputError& error) {
    std::cerr << "voxperf-nullserver: " << error.what() << std::endl;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "voxperf-nullserver: " << error.what() << std::endl;
    return 1;
  }
}
