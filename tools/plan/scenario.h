// A capacity-planning scenario (voxperf-plan): how many users, what each needs at once, the SLA, how the
// hardware is shared (instances or MIG slices per GPU), prices, and which measured cases answer for each
// pipeline. JSON; schema in the README ("Capacity and cost"). Errors name the file and field.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/sla.h"

namespace voxperf::plan {

// What a pipeline serves, which sets its units: ASR streams and audio hours, TTS requests and characters,
// LLM users and tokens.
enum class Role { kAsr, kTts, kLlm };
const char* role_name(Role role);  // "ASR", "TTS", "LLM"

// Sharing one GPU among instances of the model: co-located processes, or MIG slices.
struct MultiInstance {
  std::string name;  // "4 instances per GPU", "MIG 3g.40gb x 2"
  std::size_t instances_per_gpu = 1;
  // Measured scaling: an "all instances at once" case and one instance alone at the same load (a group's
  // ".../c:16/aggregate" and ".../c:16/instance:0"). Without them the scaling is assumed linear.
  std::string aggregate_case;
  std::string alone_case;
};

enum class Choice {
  kLargestMeetingSla,  // the largest measured level below the first that broke a bound
  kPeakThroughput,     // of the levels below the first that broke a bound, the one of highest throughput
};

struct PipelineDemand {
  std::string key;    // how scenarios name it: "asr", "magpie"
  Role role = Role::kAsr;
  std::string title;  // "Parakeet CTC 1.1B, streaming"
  // The measured cases: "<pipeline>/<model>/<profile>/<mode>": its ".../sla" case when a results file has it,
  // else its ".../c:N" sweep rows; or one exact case (".../c:32"), taken as it is.
  std::string cases;
  double share = 1.0;                     // of conversations that need it at the same moment
  double streams_per_conversation = 1.0;  // concurrent streams (requests) each of those needs
  std::vector<SlaBound> sla;              // bounds on the sweep rows (an SLA case carries its own)
  Choice choice = Choice::kLargestMeetingSla;
  double headroom_percent = 0.0;  // kept free: plan at (1 - headroom) x the measured level
  std::vector<MultiInstance> multi_instance;
  std::optional<double> cloud_price_usd;  // per 1M characters (TTS), audio hour (ASR), 1M tokens (LLM)
};

struct ScenarioRow {
  std::string name;
  std::vector<std::string> pipelines;  // keys of PipelineDemand, at most one per role
};

struct Scenario {
  std::filesystem::path file;
  std::string title;
  std::string notes;  // printed under the title: where the figures come from
  double conversations = 0;
  std::vector<std::filesystem::path> results;  // resolved against the scenario's folder
  std::vector<std::filesystem::path> targets;  // for tools/sweep --plan: targets files with the SLA cases
  std::string gpu_name = "GPU";
  std::string counted_as = "GPUs";       // what the summary counts: "GPUs", or "machines" for CPU servers
  std::optional<double> gpu_hourly_usd;  // what one GPU (or machine) costs per hour to run
  std::optional<double> hardware_usd;    // what one costs to buy: break-even against the cloud
  std::vector<PipelineDemand> pipelines;
  std::vector<ScenarioRow> rows;
};

// Throws InputError "FILE: FIELD: what is wrong".
Scenario load_scenario(const std::filesystem::path& path);

}  // namespace voxperf::plan
