#!/usr/bin/env bash
# The alpaca-py compatibility test (docs/alpaca-api.md): installs alpaca-py from PyPI (pinned) into
# the test virtual environment, starts a real `mbt serve` on a free loopback port with SQLite in a
# temporary folder and the simulated market at a weekday's session, creates a user and an Alpaca
# key pair with the CLI, runs the bot scenario Tests/alpaca-py/scenario.py, then `mbt verify`.
# Bounded in time; the server is stopped however the script ends.
# Usage: scripts/alpaca-py-test.sh (after swift build; MBT_BIN overrides .build/debug/mbt)
set -euo pipefail
cd "$(dirname "$0")/.."

ALPACA_PY_VERSION=0.44.0
VENV=.venv-test
MBT=${MBT_BIN:-.build/debug/mbt}
log() { printf '==> %s\n' "$*"; }

[ -x "$MBT" ] || { echo "no $MBT; run swift build first" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import alpaca, sys; from importlib.metadata import version; sys.exit(version('alpaca-py') != '$ALPACA_PY_VERSION')" 2>/dev/null; then
    log "installing alpaca-py==$ALPACA_PY_VERSION"
    "$VENV/bin/pip" install -q "alpaca-py==$ALPACA_PY_VERSION"
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=""
for candidate in $(seq 18400 18500); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then PORT=$candidate; break; fi
done
[ -n "$PORT" ] || { echo "no free loopback port" >&2; exit 1; }

export DATABASE_URL="sqlite://$WORK/mbt.sqlite"
export LOG_LEVEL=warning
# Wednesday 2026-03-18, 10:00 New York time: the session is open; the clock runs at real speed.
MARKET=(--market simulated --clock-start 2026-03-18T14:00:00Z --clock-speed 1)

"$MBT" migrate up >/dev/null
"$MBT" users create bot >/dev/null
eval "$("$MBT" users keys bot)"
export APCA_API_KEY_ID APCA_API_SECRET_KEY

log "starting mbt serve on 127.0.0.1:$PORT"
"$MBT" serve --host 127.0.0.1 --port "$PORT" --no-demo-user "${MARKET[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "mbt serve exited" >&2; exit 1; }
    sleep 0.2
done

log "alpaca-py $ALPACA_PY_VERSION scenario"
if ! MBT_URL="http://127.0.0.1:$PORT" timeout 180 "$VENV/bin/python" Tests/alpaca-py/scenario.py; then
    echo "--- server log ---" >&2
    tail -n 50 "$WORK/server.log" >&2
    exit 1
fi

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

log "mbt verify"
"$MBT" verify
