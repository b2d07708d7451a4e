#!/usr/bin/env bash
# Interleaved A/B against the reference server, then the gate on it: the gate self-tests' A/B half.
#   gate_ab.sh BENCH COMPARE TARGETS FILTER REPETITIONS OUT [voxperf_bench args for the candidate...]
set -euo pipefail
bench=$1 compare=$2 targets=$3 filter=$4 repetitions=$5 out=$6
shift 6
mkdir -p "$(dirname "$out")"
"$bench" --targets "$targets" --ab-baseline "$targets" --benchmark_filter="$filter" \
  --benchmark_repetitions="$repetitions" --benchmark_out="$out" "$@" >"$out.log" 2>&1 || [[ $? -eq 1 ]]
exec "$compare" "$out" --ab
