#!/usr/bin/env bash
# A soak: mixed load against a real `mbt serve` from a separate process for a while (10 minutes
# by default), printing each minute's throughput, p50/p99 latency and the server's resident
# memory, so a leak or a slowdown shows. Not part of the test suite. Loopback only; it stops by
# itself. Usage: scripts/soak.sh [minutes] [clients]. Uses the release build when there is one
# (swift build -c release --product mbt [--scratch-path .build-release]), else the debug build; DATABASE_URL picks the database
# (default: a fresh SQLite file).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
CLIENTS=${2:-16}
if [ -x .build-release/release/mbt ]; then MBT=.build-release/release/mbt
elif [ -x .build/release/mbt ]; then MBT=.build/release/mbt
else MBT=.build/debug/mbt; fi
source scripts/lib/serve.sh

WORK=$(mktemp -d)
trap 'mbt_stop_server; rm -rf "$WORK"' EXIT
export DATABASE_URL=${DATABASE_URL:-sqlite://$WORK/mbt.sqlite}
"$MBT" migrate up >/dev/null
TOKENS=()
for n in $(seq 1 8); do TOKENS+=("$(mbt_token "soak$n-$$")"); done

PORT=$(mbt_free_port 19080 19180)
# The simulated market in session at ten market minutes per second, so the bar loop ticks live.
mbt_start_server "$PORT" "$WORK/serve.log" --market simulated --clock-start 2026-03-18T14:00:00Z --clock-speed 600 \
    --no-demo-user --no-jobs
echo "soak: $MBT on port $PORT, $DATABASE_URL, $CLIENTS clients, $MINUTES minutes"
python3 scripts/soak.py "http://127.0.0.1:$PORT" "$MBT_SERVER_PID" "$MINUTES" "$CLIENTS" "${TOKENS[@]}"
"$MBT" verify
