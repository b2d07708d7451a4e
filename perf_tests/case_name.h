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
  std::size_t concurrency = 1;

  std::string target() const { return pipeline + "/" + model + "/" + profile; }
  std::string group() const { return target() + "/" + mode; }
  std::string str() const { return group() + "/c:" + std::to_string(concurrency); }
  // The row of an interleaved A/B case's baseline side in the report tables: "<model> (A/B baseline)".
  CaseName ab_baseline() const {
    CaseName name = *this;
    name.model += " (A/B baseline)";
    return name;
  }
};

}  // namespace voxperf::bench
