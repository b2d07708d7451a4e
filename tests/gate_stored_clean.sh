#!/usr/bin/env bash
# gate.stored.clean: the clean candidate c1 recorded between the history runs (tests/gate_history.sh) against
# that history, with the policy the detection test uses; when only regressions fail, c2 must confirm them,
# as tools/perf-gate's rerun does. Passes when the gate raises no false alarm.
#   gate_stored_clean.sh COMPARE HISTORY_DIR BASELINE POLICY
set -uo pipefail
compare=$1 history=$2 baseline=$3 policy=$4
"$compare" "$history/work/c1.json" --baseline "$baseline" --policy "$policy"
status=$?
if [[ $status -eq 3 ]]; then
  echo "gate_stored_clean: regressions above; confirming with c2"
  "$compare" "$history/work/c1.json" --baseline "$baseline" --policy "$policy" --confirm "$history/work/c2.json"
  status=$?
fi
exit "$status"
