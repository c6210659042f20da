#!/usr/bin/env bash
# The order benchmark measured from outside: starts `mbt serve` on its own (release build,
# simulated market inside a session, no bar loop or jobs) and drives it with `mbt bench orders
# --target` from a second process, then prints the server's peak resident memory and runs
# `mbt verify`. Not part of the test suite; loopback only; it stops by itself.
# Usage: scripts/bench-orders.sh [seconds] [clients] [more `mbt bench orders` options, such as
# --resting 100000]; DATABASE_URL picks the database (default: a fresh SQLite file). Build first: swift build -c release --scratch-path .build-release --product mbt
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_MEASURED=${1:-10}
CLIENTS=${2:-32}
shift $(( $# < 2 ? $# : 2 ))
MBT=${MBT:-.build-release/release/mbt}
source scripts/lib/serve.sh
mbt_bench_workspace
PORT=$(mbt_free_port 19180 19280)
# Friday 2026-03-20 10:00 New York, at real speed: quotes stay fresh for the whole run.
LOG_LEVEL=warning mbt_start_server "$PORT" "$WORK/serve.log" --market simulated --clock-start 2026-03-20T14:00:00Z \
    --no-demo-user --no-jobs --no-bar-loop
"$MBT" bench orders --target "http://127.0.0.1:$PORT" --database-url "$DATABASE_URL" --seconds "$SECONDS_MEASURED" --clients "$CLIENTS" "$@"
echo "  peak resident memory of serve: $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$MBT_SERVER_PID/status") MB"
