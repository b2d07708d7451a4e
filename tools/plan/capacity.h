// The planner's arithmetic, from measured cases to GPUs and cost, the way the NIM report's section 8 and the
// CosyVoice summary did it by hand (../shared/seeds/000_*, 004_*), but with every figure cited:
//
//   demand          = conversations x share x streams_per_conversation
//   per instance    = the SLA case's max_concurrency, or the sweep row chosen (largest meeting the SLA, or the
//                     peak throughput among those), x (1 - headroom), rounded down
//   GPUs            = ceil(demand / per instance)                   (one instance per GPU)
//   per GPU shared  = per instance x scaling, rounded down; scaling = measured aggregate / alone throughput
//                     (capped at the instance count), or the instance count when not measured (assumed)
//   capacity/day    = the role's rate (ASR rtfx: audio s/s; TTS chars_per_s; LLM output_tokens_per_s) at the
//                     chosen level x planned/measured x 86,400 s
//   cost per unit   = GPU hourly price / units per GPU-hour (1M characters, 1 audio hour, 1M tokens)
//   break-even days = hardware price / (units per day x (cloud price - own cost))
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tools/plan/measured_cases.h"
#include "tools/plan/scenario.h"

namespace voxperf::plan {

// A measured figure and where it came from.
struct Figure {
  double value = 0.0;
  std::string case_name;
  std::string counter;
};

// One sweep row checked against the SLA.
struct LevelCheck {
  std::size_t concurrency = 0;
  std::string case_name;
  bool met = false;
  std::string broken;  // "ttfa_mean_ms 663 > 500"; "" when met
  double throughput = 0.0;
};

struct VariantPlan {
  MultiInstance sharing;
  double scaling = 1.0;
  bool measured = false;
  std::string scaling_text;  // how the scaling was found, with citations
  std::size_t per_gpu = 0;
  std::size_t gpus = 0;
};

struct CostPlan {
  double units_per_gpu_day = 0.0;  // one instance per GPU, at the planned load
  std::optional<double> own_cost;  // per unit block, from the GPU hourly price
  std::optional<double> cloud_ratio;       // cloud price / own cost
  std::optional<double> break_even_days;   // NaN-free: unset when it never breaks even or a price is missing
  bool never_breaks_even = false;
};

struct PipelinePlan {
  const PipelineDemand* demand = nullptr;
  double demand_streams = 0.0;
  Figure measured;               // max_concurrency of the SLA case, or the chosen row's concurrency
  std::string choice_text;       // why that level
  bool from_sla_case = false;
  std::vector<LevelCheck> levels;  // the sweep rows checked (none for an SLA case or an exact case)
  std::string warning;           // an exact case that breaks the scenario's SLA, said aloud
  std::size_t planned = 0;       // per instance, after headroom
  std::size_t gpus = 0;          // one instance per GPU
  std::vector<VariantPlan> variants;
  std::optional<Figure> rate;    // the role's rate at the measured level
  std::optional<CostPlan> cost;  // when the rate was measured
  std::size_t fewest_gpus() const;  // over one instance per GPU and every variant
};

// Units of a role: what a stream is and what capacity is counted in.
struct RoleUnits {
  const char* demand;       // "concurrent streams"
  const char* rate_counter; // "rtfx"
  const char* day_unit;     // "audio hours"
  double per_day;           // from the rate to day units: x 86,400 (or x 24 for audio hours from rtfx)
  const char* block;        // "audio hour", "1M characters"
  double block_units;       // day units per block: 1, 1e6
};
RoleUnits role_units(Role role);

// Throws InputError (exit 2) for a figure the scenario needs that no results file has, and for a pipeline no
// measured level of which met its SLA.
PipelinePlan plan_pipeline(const Scenario& scenario, const PipelineDemand& demand, const MeasuredCases& cases);

}  // namespace voxperf::plan
