#!/usr/bin/env bash
# serve's start-up measured from outside: the time from launching `mbt serve` until /health
# answers, polled every 10 ms, and the server's peak resident memory then. Not part of the test
# suite; loopback only; it stops the server itself.
# Usage: scripts/bench-startup.sh [serve options…], e.g. --market replay --replay-dir DIR;
# DATABASE_URL picks the database (default: a fresh SQLite file). Release build first:
# swift build -c release --scratch-path .build-release --product mbt
set -euo pipefail
cd "$(dirname "$0")/.."
MBT=${MBT:-.build-release/release/mbt}
source scripts/lib/serve.sh
mbt_bench_workspace
PORT=$(mbt_free_port 19280 19380)
started=$(date +%s%N)
"$MBT" serve --port "$PORT" --no-demo-user --no-jobs --no-bar-loop "$@" >"$WORK/serve.log" 2>&1 &
MBT_SERVER_PID=$!
until curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
    kill -0 "$MBT_SERVER_PID" 2>/dev/null || { echo "mbt serve exited; its log:" >&2; tail -20 "$WORK/serve.log" >&2; exit 1; }
    [ $(( ($(date +%s%N) - started) / 1000000 )) -lt 120000 ] || { echo "no /health within 120 s" >&2; exit 1; }
    sleep 0.01
done
answered=$(date +%s%N)
echo "serve start-up to /health: $(( (answered - started) / 1000000 )) ms ($*)"
echo "  peak resident memory of serve: $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$MBT_SERVER_PID/status") MB"
