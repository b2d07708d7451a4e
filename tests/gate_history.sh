#!/usr/bin/env bash
# The stored-mode self-tests' fixture: records this machine's own baseline history, RUNS separate runs of the
# suite's cases, into a fresh HISTORY_DIR (HISTORY_DIR/<suite>/<target set>.json, runs in HISTORY_DIR/work),
# so that the stored gate is judged against runs made here and now, never against the committed baselines.
#   gate_history.sh HISTORY_DIR -- tools/refresh-baselines ARGS (without --baselines and --work)
set -euo pipefail
history=$1
shift
[[ $1 == -- ]] && shift
rm -rf "$history"
mkdir -p "$history"
exec "$@" --baselines "$history" --work "$history/work"
