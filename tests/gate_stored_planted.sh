#!/usr/bin/env bash
# The stored-mode detection self-test: against the history this machine has just recorded (the fixture
# gate.stored.history), the reference server answers later by a delay sized from that history
# (tests/planted_delay.sh), and tools/perf-gate must catch it and confirm it with its rerun.
#   gate_stored_planted.sh COMPARE HISTORY_DIR BASELINE CASE COUNTER -- PERF_GATE_COMMAND...
set -euo pipefail
compare=$1 history=$2 baseline=$3 case_name=$4 counter=$5
shift 5
[[ $1 == -- ]] && shift
here=$(dirname "$0")
policy=$here/../baselines/policy.json
runs=("$history"/work/h*.json)
# The reference and tolerance the gate derives from the history, as it prints them (any run of the history
# gives the same two columns; only its own Now column, which is ignored here, depends on it).
"$compare" "${runs[0]}" --baseline "$baseline" --policy "$policy" --mode report >"$history/sizing.txt"
delay=$("$here/planted_delay.sh" "$history/sizing.txt" "$case_name" "$counter" "$policy" "$counter" "${runs[@]}")
exec "$@" -- --inject-fault "first-delay-ms=$delay"
