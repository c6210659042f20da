#!/usr/bin/env bash
# The web app in a real browser: headless Chromium (Debian's packages, installed when missing)
# driven by Selenium and checked by axe-core (PyPI: selenium, axe-selenium-python; in the virtual
# environment .venv-test) against a real `mbt serve` on
# SQLite in a temporary folder, the simulated market and a clock in session hours, on a free
# loopback port. The server is stopped on exit, whatever happens. Screenshots go to
# $MBT_BROWSER_ARTIFACTS (default .build/browser-artifacts). Usage: scripts/browser-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "Chromium or its driver not found; installing them"
    if [ "$(id -u)" -ne 0 ]; then
        echo "chromium and chromium-driver are missing and this is not root: install those packages first." >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

VENV=.venv-test
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
# axe-selenium-python ships axe-core, the accessibility checker the flow runs on every page.
"$VENV/bin/python" -c "import selenium, axe_selenium_python" 2>/dev/null || "$VENV/bin/pip" install -q selenium axe-selenium-python

MBT=.build/debug/mbt
[ -x "$MBT" ] || swift build
source scripts/lib/serve.sh

WORK=$(mktemp -d)
ARTIFACTS=${MBT_BROWSER_ARTIFACTS:-.build/browser-artifacts}
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png "$ARTIFACTS"/server.log
cleanup() {
    mbt_stop_server
    cp "$WORK/server.log" "$ARTIFACTS/server.log" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$WORK/mbt.sqlite"
PORT=$(mbt_free_port 18600 18700)
printf 'browser-test-password\n' >"$WORK/password"

log "creating user 'trader' and admin 'operator' with a password"
"$MBT" migrate up >/dev/null
"$MBT" users create trader --password-file "$WORK/password" >/dev/null
"$MBT" users create operator --admin --password-file "$WORK/password" >/dev/null

log "starting mbt serve on 127.0.0.1:$PORT"
mbt_start_server "$PORT" "$WORK/server.log" --host 127.0.0.1 --market simulated --clock-start 2026-03-18T15:00:00Z \
    --clock-speed 1 --no-demo-user --no-jobs

log "driving Chromium"
START=$(date +%s)
timeout 300 "$VENV/bin/python" Tests/browser/web_flow.py --base-url "http://127.0.0.1:$PORT" --user trader \
    --admin-user operator --password-file "$WORK/password" --artifacts "$ARTIFACTS"
log "browser tests passed in $(($(date +%s) - START)) s; screenshots in $ARTIFACTS"
# The flow ends with an admin reset: the ledger it leaves must still reconcile.
log "mbt verify on the database the flow used"
"$MBT" verify
