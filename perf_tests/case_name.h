// Benchmark case names: "<pipeline>/<model>/<profile>/<mode>/c:<N>" (DESIGN.md). They are the keys of stored
// baselines, so repetitions go on the command line, never into the name.
#pragma once

#include <cstddef>
#include <string>

namespace voxperf::bench {

struct CaseName {
  std::string pipeline;  // ASR, TTS, LLM
  std::string model;
  std::string profile;
  std::string mode;      // stream, offline, batch, chat ...
  std::size_t concurrency = 1;  // per instance, for a group of instances
  // A group of instances (targets file "endpoints"): "" for a single instance, "0", "1" ... for one instance
  // measured alone (".../c:8/instance:0"), "all" for all of them at once (".../c:8/aggregate").
  std::string instance;

  std::string target() const { return pipeline + "/" + model + "/" + profile; }
  // The report table the case is a row of.
  std::string group() const {
    const std::string base = target() + "/" + mode;
    if (instance.empty()) return base;
    return base + (instance == "all" ? " (all instances at once)" : " (instance " + instance + " alone)");
  }
  std::string str() const {
    const std::string base = target() + "/" + mode + "/c:" + std::to_string(concurrency);
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
