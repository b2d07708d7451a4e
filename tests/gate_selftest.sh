#!/usr/bin/env bash
# A gate self-test (CTest label "gate"): runs a measurement and the gate on it, and checks the gate's exit
# code and that its output names what it must (the case and counter that regressed, or the invalid run).
#
#   gate_selftest.sh EXPECTED_EXIT EXPECTED_TEXT -- COMMAND...
#
# EXPECTED_TEXT is a grep -E pattern the output must contain ("" for none); for a passing gate the last line
# must also say "0 failed".
set -uo pipefail
expected_exit=$1 expected_text=$2
shift 2
[[ $1 == -- ]] && shift
output=$("$@" 2>&1)
status=$?
echo "$output"
echo "gate_selftest: exit $status (expected $expected_exit)"
[[ $status -eq $expected_exit ]] || { echo "gate_selftest: FAIL: wrong exit code"; exit 1; }
if [[ -n $expected_text ]] && ! grep -Eq -- "$expected_text" <<<"$output"; then
  echo "gate_selftest: FAIL: the output does not contain /$expected_text/"
  exit 1
fi
if [[ $expected_exit -eq 0 ]] && ! tail -1 <<<"$output" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
  echo "gate_selftest: FAIL: the last line is not 'N passed, 0 failed'"
  exit 1
fi
echo "gate_selftest: ok"
