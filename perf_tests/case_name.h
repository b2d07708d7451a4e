// Benchmark case names: "<pipeline>/<model>/<profile>/<mode>/c:<N>" (DESIGN.md). They are the keys of stored
// baselines, so repetitions go on the command line, never into the name.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace voxperf::bench {

struct CaseName {
  std::string pipeline;  // ASR, TTS, LLM
  std::string model;
  std::string profile;
  std::string mode;      // stream, offline, batch, chat ...
  std::size_t concurrency = 1;  // closed loop: requests in flight (per instance, for a group of instances)
  // A group of instances (targets file "endpoints"): "" for a single instance, "0", "1" ... for one instance
  // measured alone (".../c:8/instance:0"), "all" for all of them at once (".../c:8/aggregate").
  std::string instance;
  double rate = 0.0;  // open loop: arrivals per second ("rate:R" instead of "c:N"); 0: closed loop
  bool sla = false;   // an SLA search over concurrency (".../sla"), whose probes are closed-loop levels

  std::string target() const { return pipeline + "/" + model + "/" + profile; }
  bool open_loop() const { return rate > 0.0; }
  // "c:8" or "rate:2048" ("rate:2.5" when not whole).
  std::string load() const {
    if (sla) return "sla";
    if (!open_loop()) return "c:" + std::to_string(concurrency);
    char text[32];
    std::snprintf(text, sizeof text, "%g", rate);
    return std::string("rate:") + text;
  }
  // The first cell of its table row: "8", or "2048".
  std::string load_cell() const { return sla ? "sla" : load().substr(open_loop() ? 5 : 2); }
  // The report table the case is a row of.
  std::string group() const {
    const std::string base = target() + "/" + mode + (open_loop() ? " (request rate)" : sla ? " (SLA search)" : "");
    if (instance.empty()) return base;
    return base + (instance == "all" ? " (all instances at once)" : " (instance " + instance + " alone)");
  }
  std::string str() const {
    const std::string base = target() + "/" + mode + "/" + load();
    if (instance.empty()) return base;
    return base + (instance == "all" ? "/aggregate" : "/instance:" + instance);
  }
  // The row of an interleaved A/B case's baseline side in the report tables: "<model> (A/B baseline)".
  CaseName ab_baseline() const {
    CaseName name = *this;
    name.model += " (A/B baseline)";
    return name;
  }
};

}  // namespace voxperf::bench
