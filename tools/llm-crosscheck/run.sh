#!/usr/bin/env bash
# The GPU cross-check of issue 15, run on a machine with a GPU, torch and transformers:
#   tools/llm-crosscheck/run.sh BENCH_DIR OUT_DIR [--nagle]
# BENCH_DIR holds voxperf_bench and, in lib/, the shared libraries it needs there (see the README). Starts the
# GPT-2 server, runs the gpt2.json cases with --records-dir, and writes the comparison to OUT_DIR/crosscheck.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench_dir=$1 out=$2 server_args=("${@:3}")
mkdir -p "$out"
python3 "$here/gpt2_sse_server.py" "${server_args[@]}" --port 8000 --log "$out/server_tokens.jsonl" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  curl -sf http://127.0.0.1:8000/v1/models > /dev/null 2>&1 && break
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/v1/models')" 2>/dev/null && break
  sleep 0.5
done
nvidia-smi --query-gpu=name,memory.used,utilization.gpu --format=csv > "$out/gpu.txt" 2>&1 || true
LD_LIBRARY_PATH="$bench_dir/lib" "$bench_dir/voxperf_bench" --targets "$here/gpt2.json" \
  --records-dir "$out/records" --report-dir "$out/report" --benchmark_out="$out/results.json" \
  --benchmark_out_format=json > "$out/bench.txt" 2> "$out/bench.err" || echo "voxperf_bench exit $?" >> "$out/bench.err"
python3 "$here/compare.py" "$out/records" "$out/server_tokens.jsonl" | tee "$out/crosscheck.md"
# The records under names without ':' (some file transports refuse it).
for f in "$out"/records/*.jsonl; do cp "$f" "$out/records/$(basename "$f" | tr ':' '-').copy"; done
