#!/usr/bin/env bash
# The A/B detection self-test: a pilot A/A gate measures CASE on this machine, the candidate of the real run
# then answers later by a delay sized from that pilot (tests/planted_delay.sh), and the gate must catch it.
#   gate_ab_planted.sh BENCH COMPARE TARGETS CASE COUNTER OUT
set -euo pipefail
bench=$1 compare=$2 targets=$3 case_name=$4 counter=$5 out=$6
here=$(dirname "$0")
policy=$here/../baselines/policy.json
mkdir -p "$out"
# The pilot's own verdict does not matter here (ab.same_server judges A/A runs); its table and results do.
"$here/gate_ab.sh" "$bench" "$compare" "$targets" "^$case_name\$" "$out/pilot" >"$out.pilot.txt" || [[ $? -eq 1 ]]
delay=$("$here/planted_delay.sh" "$out.pilot.txt" "$case_name" "$counter" "$policy" "baseline.$counter" \
  "$out"/pilot/look-*.json)
exec "$here/gate_ab.sh" "$bench" "$compare" "$targets" "^$case_name\$" "$out/planted" \
  --inject-fault "first-delay-ms=$delay"
