// The planner's Markdown, in the shape of the NIM report's section 8: per pipeline the demand, the level
// chosen and why, streams per GPU with and without shared GPUs, capacity and cost per day; then the summary
// table (Scenario | ASR GPUs | TTS GPUs | Total GPUs | ASR:TTS). Every figure names its case and counter.
#pragma once

#include <string>
#include <vector>

#include "tools/plan/capacity.h"
#include "tools/plan/scenario.h"

namespace voxperf::plan {

// "5,000", "1,750", "12.5", "0.0018": thousands grouped, up to `decimals` decimals, trailing zeros dropped.
std::string grouped(double value, int decimals = 0);

std::string plan_markdown(const Scenario& scenario, const std::vector<PipelinePlan>& plans,
                          const std::string& results_text);

}  // namespace voxperf::plan
