#!/usr/bin/env bash
# Sizes the regression a gate self-test plants, from what this machine has just measured, so that the test
# means the same on a machine 3x faster or 3x slower than the one it was written on. Prints D in ms:
#
#   D = max(3 x the smallest change the gate flags for CASE COUNTER, 6 x the spread of one repetition)
#
# where the smallest flagged change is max(tolerance x reference, the policy's absolute floor), both read
# from the gate's own table (GATE_TABLE: voxperf-compare's output on this machine's runs), and the spread is
# 1.4826 x the MAD of COUNTER's per-repetition values of CASE in the RESULTS files (the noise of one
# repetition). Why it was chosen goes to stderr.
#
#   planted_delay.sh GATE_TABLE CASE COUNTER POLICY RESULTS_COUNTER RESULTS...
set -euo pipefail
table=$1 case_name=$2 counter=$3 policy=$4 results_counter=$5
shift 5

row=$(awk -F'|' -v c="$case_name" -v k="$counter" '
  { gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3) }
  $2 == c && $3 == k { gsub(/[ %]/, "", $4); gsub(/[ %]/, "", $7); print $4, $7; exit }' "$table")
[[ -n $row ]] || { echo "planted_delay: no row for $case_name $counter in $table" >&2; exit 2; }
read -r reference tolerance_pct <<<"$row"
absolute=$(jq -r --arg k "$counter" '.counters[$k].absolute // 0' "$policy")
spread=$(jq -s --arg c "$case_name" --arg k "$results_counter" '
  def median: sort | if length == 0 then 0 elif length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  [.[].benchmarks[] | select(.run_type == "iteration" and (.name == $c or (.name | startswith($c + "/iterations:"))))
   | .[$k] | numbers]
  | median as $m | [.[] | (. - $m) | if . < 0 then -. else . end] | median * 1.4826' "$@")

awk -v r="$reference" -v t="$tolerance_pct" -v a="$absolute" -v s="$spread" -v c="$case_name" -v k="$counter" 'BEGIN {
  flagged = r * t / 100; if (a > flagged) flagged = a
  d = 3 * flagged; if (6 * s > d) d = 6 * s
  printf "planted_delay: %s %s: reference %.3f ms, tolerance %s%%, absolute floor %s ms -> smallest flagged change %.3f ms; repetition spread %.3f ms; planting +%.3f ms\n", c, k, r, t, a, flagged, s, d > "/dev/stderr"
  printf "%.3f\n", d
}'
