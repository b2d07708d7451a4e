// voxperf-refserver: the reference Riva ASR/TTS server (see ref_server.h). Logs one line when it starts and
// one when it stops; SIGTERM or SIGINT stops it gracefully.
#include <CLI/CLI.hpp>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "harness/input_error.h"
#include "server/ref_server.h"
#include "server/server_main.h"

namespace {

using voxperf::InputError;

void check_fraction(double value, const char* flag) {
  if (value < 0 || value > 1) throw InputError(std::string(flag) + " " + std::to_string(value) + ": must be 0 to 1");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace voxperf::refserver;
  CLI::App app{"voxperf-refserver: a Riva ASR/TTS gRPC server backed by pocketsphinx and espeak-ng"};
  RefServerOptions options;
  std::string profile = "default", port_file, error_code = "UNAVAILABLE";
  double first_delay_ms = 0, chunk_delay_ms = 0;
  int grace_ms = 5000;
  bool exit_with_parent = false;
  app.add_option("--host", options.host, "address to bind (a numeric IP)")->capture_default_str();
  app.add_option("--port", options.port, "port to bind; 0 picks a free one")->capture_default_str()->check(
      CLI::Range(0, 65535));
  app.add_option("--http-port", options.http_port, "port of the HTTP APIs (OpenAI LLM and audio, CosyVoice); 0 picks a free one")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--port-file", port_file, "write the bound ports (gRPC, then HTTP, one per line) to this file once listening");
  app.add_option("--profile", profile, "bs<N> (requests in each engine at once) or default (bs16)")
      ->capture_default_str();
  app.add_option("--workers", options.workers, "decoding threads; 0 means one per core")->capture_default_str();
  app.add_option("--max-message-bytes", options.max_message_bytes, "gRPC message size limit")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  app.add_flag("--exit-with-parent", exit_with_parent,
               "stop (as on SIGTERM) when the process that started this one ends, however it ends");
  app.add_option("--grace-ms", grace_ms, "on SIGTERM, how long running calls may finish before they are cancelled")
      ->capture_default_str();
  app.add_option("--fault-first-delay-ms", first_delay_ms, "added before each request's first response");
  app.add_option("--fault-chunk-delay-ms", chunk_delay_ms, "added before each later response (audio chunk, result)");
  app.add_option("--fault-error", options.faults.error_fraction, "fraction of requests failed at once");
  app.add_option("--fault-error-code", error_code, "their gRPC status, by name or number")->capture_default_str();
  app.add_option("--fault-stall", options.faults.stall_fraction,
                 "fraction of streams that stop after their first response until the client gives up");
  app.add_option("--fault-drop", options.faults.drop_fraction,
                 "fraction of streams whose TCP connection is closed after their first response");
  // The environment variable reaches every server that a test or sweep starts, both sides of an A/B run
  // included: a whole run as if on slower hardware.
  app.add_option("--fault-slowdown", options.faults.slowdown,
                 "engine work costs this many times its CPU time, as on a machine that much slower")
      ->envname("VOXPERF_REFSERVER_SLOWDOWN");
  CLI11_PARSE(app, argc, argv);

  // Signals are taken by sigwait on this thread; blocked before any other thread starts.
  const sigset_t stop_signals = voxperf::block_stop_signals();
  // voxperf_bench starts its embedded servers with this: killed (or crashed), it must not leave them running.
  if (exit_with_parent && !voxperf::exit_with_parent()) return 1;

  try {
    options.profile = parse_profile(profile);
    check_fraction(options.faults.error_fraction, "--fault-error");
    check_fraction(options.faults.stall_fraction, "--fault-stall");
    check_fraction(options.faults.drop_fraction, "--fault-drop");
    if (!(options.faults.slowdown >= 1.0 && options.faults.slowdown <= 100.0)) {
      throw InputError("--fault-slowdown (or VOXPERF_REFSERVER_SLOWDOWN): must be from 1 to 100");
    }
    if (first_delay_ms < 0 || chunk_delay_ms < 0) throw InputError("--fault-*-delay-ms: must not be negative");
    auto microseconds = [](double ms) { return std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000.0 + 0.5)); };
    options.faults.first_response_delay = microseconds(first_delay_ms);
    options.faults.chunk_delay = microseconds(chunk_delay_ms);
    options.faults.error_code = parse_status_code(error_code, "--fault-error-code");

    RefServer server(options);
    if (!port_file.empty()) voxperf::write_port_file(port_file, server.port(), server.http_port());
    std::cout << "voxperf-refserver: " << server.describe() << std::endl;

    int signal = 0;
    sigwait(&stop_signals, &signal);
    const auto stop_started = std::chrono::steady_clock::now();
    server.shutdown(std::chrono::milliseconds(grace_ms));
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_started).count();
    std::cout << "voxperf-refserver: stopped on " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " in " << took
              << " s; " << server.activity() << std::endl;
    if (!port_file.empty()) std::filesystem::remove(port_file);
    return 0;
  } catch (const InputError& error) {
    std::cerr << "voxperf-refserver: " << error.what() << std::endl;
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "voxperf-refserver: " << error.what() << std::endl;
    return 1;
  }
}
