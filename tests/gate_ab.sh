#!/usr/bin/env bash
# The sequential interleaved A/B gate (tools/ab-gate) against the reference server: the gate self-tests'
# A/B half. Its looks go to OUT/ (look-N.json and their samples); prints the last look's table.
#   gate_ab.sh BENCH COMPARE TARGETS FILTER OUT [voxperf_bench args for the candidate...]
set -euo pipefail
bench=$1 compare=$2 targets=$3 filter=$4 out=$5
shift 5
here=$(dirname "$0")
exec "$here/../tools/ab-gate" --bench "$bench" --compare "$compare" --targets "$targets" --filter "$filter" \
  --out "$out" --policy "$here/../baselines/policy.json" -- "$@"
