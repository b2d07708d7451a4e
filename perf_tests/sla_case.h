// The SLA-search case of a target's mode, "<pipeline>/<model>/<profile>/<mode>/sla" (harness/sla.h): probes
// closed-loop levels, each measured as a c:N case is (level_measurement.h) with at least the requests its
// percentile bounds need (count windows, whatever the target's measurement_mode), until the largest level that
// meets every bound, with no errors and (when the target asks for it) stable, is known.
//
// Counters: max_concurrency (0: not even sla_search.min met it), probes, broke_concurrency (the first level
// that broke a bound; absent when every level up to max met them), the level's counters at max_concurrency
// prefixed "at_max.", and at broke_concurrency (prefixed "at_break.") the bounded ones, requests, errors and
// throughput_rps. The plain latency counters are not set:
// the gate compares max_concurrency only (higher is better), never latencies of different levels.
#pragma once

#include "perf_tests/case_name.h"
#include "perf_tests/result_table.h"
#include "perf_tests/sweep_progress.h"
#include "perf_tests/target_cases.h"

namespace voxperf::bench {

// Registers the case `name` (name.sla set) of `run`, whose target has an sla_search. The references must
// outlive the run.
void register_sla_case(TargetRun& run, const CaseName& name, TimerQueue& timers, ResultTable& table,
                       const Clock& clock, SweepProgress* progress);

}  // namespace voxperf::bench
