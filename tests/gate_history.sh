#!/usr/bin/env bash
# The stored-mode self-tests' fixture: on this machine, now, seven runs of TARGETS' SUITE cases, in the order
#
#   h1 h2 c1 h3 h4 c2 h5
#
# h1..h5 are accepted into a fresh history (HISTORY_DIR/<suite>/<target set>.json, with tools/refresh-baselines);
# c1 and c2, never accepted, are the clean candidate and its confirmation run for gate.stored.clean. Taking
# them from between the history runs is the stored-mode form of interleaving: a machine whose speed drifts
# over the minute of the test (measured: +43 % latency 20 s after the history, with two busy loops beside it)
# drifts for history and candidate alike, so the test judges the gate's statistics, not the machine's trend.
# Runs go to HISTORY_DIR/work/<name>.json.
#   gate_history.sh HISTORY_DIR BENCH COMPARE TARGETS SUITE [REPETITIONS]
set -euo pipefail
history=$1 bench=$2 compare=$3 targets=$4 suite=$5 repetitions=${6:-5}
here=$(dirname "$0")
filter=$(awk -v s="$suite" '$1 == s {print $2}' "$here/../baselines/suites")
[[ -n $filter ]] || { echo "gate_history: no suite $suite in baselines/suites" >&2; exit 2; }
rm -rf "$history"
mkdir -p "$history/work"
fresh=(--fresh)
for run in h1 h2 c1 h3 h4 c2 h5; do
  out=$history/work/$run.json
  echo "== $run: $targets $filter, $repetitions repetitions"
  "$bench" --targets "$targets" --benchmark_filter="$filter" --benchmark_repetitions="$repetitions" \
    --benchmark_out="$out" --benchmark_out_format=json >"$out.log" 2>&1 || { cat "$out.log"; exit 1; }
  if [[ $run == h* ]]; then
    "$here/../tools/refresh-baselines" --results "$out" --suite "$suite" --targets "$targets" --baselines "$history" \
      --bench "$bench" --compare "$compare" "${fresh[@]}"
    fresh=()
  fi
done
