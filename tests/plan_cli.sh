#!/usr/bin/env bash
# voxperf-plan as a user runs it: the committed NIM scenario plans (exit 0, the report's totals), and a figure
# the scenario needs but no results file has, a missing results file or a bad scenario exit 2 with a message
# that names what is missing.
set -uo pipefail
plan="$1" source_dir="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

out=$("$plan" "$source_dir/targets/plan-5000-conversations.json" --out "$tmp/plan.md") || fail "the NIM scenario exited $?"
grep -q '| MagpieTTS (multilingual) | 25 (7 with 4 instances per GPU, 13 with MIG 3g.40gb x 2) | 55 | 62-80 | 1:2.2 |' <<<"$out" ||
  fail "no Magpie summary row: $out"
cmp -s <(echo "$out") "$tmp/plan.md" || fail "--out differs from what was printed"

expect_2() {  # expect_2 TEXT ARGS...: exit 2 and TEXT on stderr
  local text="$1"; shift
  "$plan" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "$* exited $rc, not 2: $(cat "$tmp/err")"
  grep -qF "$text" "$tmp/err" || fail "$*: no '$text' in: $(cat "$tmp/err")"
}
# Cost per 1M characters needs chars_per_s, which the report's tables do not have.
sed -e 's|"title": "MagpieTTS Multilingual, bs64 profile (a whole H100)",|&\n      "cloud_price_usd": 4,|' \
  -e 's|"plan/nim-h100-seed-000.json"|"'"$source_dir"'/targets/plan/nim-h100-seed-000.json"|' \
  "$source_dir/targets/plan-5000-conversations.json" >"$tmp/priced.json"
expect_2 "case TTS/Magpie/bs64/stream/c:32 in $source_dir/targets/plan/nim-h100-seed-000.json has no counter chars_per_s" "$tmp/priced.json"
expect_2 "$tmp/none.json: can not read the results file" "$source_dir/targets/plan-5000-conversations.json" --results "$tmp/none.json"
expect_2 "$tmp/nothing.json: can not read the scenario file" "$tmp/nothing.json"
echo '{"title": "t", "conversations": 0}' >"$tmp/bad.json"
expect_2 "$tmp/bad.json: (top level).conversations" "$tmp/bad.json"
echo "voxperf-plan: every check passed"
