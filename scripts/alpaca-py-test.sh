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
source scripts/lib/serve.sh
log() { printf '==> %s\n' "$*"; }

[ -x "$MBT" ] || { echo "no $MBT; run swift build first" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import alpaca, sys; from importlib.metadata import version; sys.exit(version('alpaca-py') != '$ALPACA_PY_VERSION')" 2>/dev/null; then
    log "installing alpaca-py==$ALPACA_PY_VERSION"
    "$VENV/bin/pip" install -q "alpaca-py==$ALPACA_PY_VERSION"
fi

WORK=$(mktemp -d)
trap 'mbt_stop_server; rm -rf "$WORK"' EXIT
PORT=$(mbt_free_port 18400 18500)

export DATABASE_URL="sqlite://$WORK/mbt.sqlite"
export LOG_LEVEL=warning
# Wednesday 2026-03-18, 10:00 New York time: the session is open; the clock runs at real speed.
MARKET=(--market simulated --clock-start 2026-03-18T14:00:00Z --clock-speed 1)

"$MBT" migrate up >/dev/null
"$MBT" users create bot >/dev/null
eval "$("$MBT" users keys bot)"
export APCA_API_KEY_ID APCA_API_SECRET_KEY

log "starting mbt serve on 127.0.0.1:$PORT"
mbt_start_server "$PORT" "$WORK/server.log" --host 127.0.0.1 --no-demo-user "${MARKET[@]}"

log "alpaca-py $ALPACA_PY_VERSION scenario"
if ! MBT_URL="http://127.0.0.1:$PORT" timeout 180 "$VENV/bin/python" Tests/alpaca-py/scenario.py; then
    echo "--- server log ---" >&2
    tail -n 50 "$WORK/server.log" >&2
    exit 1
fi

mbt_stop_server

log "mbt verify"
"$MBT" verify
