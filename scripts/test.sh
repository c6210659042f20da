#!/usr/bin/env bash
# Runs every test: once against SQLite, once against a throwaway PostgreSQL cluster on 127.0.0.1,
# and alpaca-py's bot scenario against a real server (scripts/alpaca-py-test.sh), then the web app
# in a real browser (scripts/browser-test.sh) and the API fuzzing (scripts/fuzz-api.sh). Installs
# PostgreSQL (and Chromium) from Debian's packages if the machine lacks them. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }

find_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PG_BIN=$(find_pg_bin)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    log "PostgreSQL server not found; installing it"
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL is missing and this is not root: install the 'postgresql' package first." >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(find_pg_bin)
fi

# initdb refuses to run as root: the cluster belongs to an unprivileged user whose own folder holds
# the data directory and the server log.
if [ "$(id -u)" -eq 0 ]; then
    PG_USER=mbt-test
    if ! id "$PG_USER" >/dev/null 2>&1; then
        useradd --system --create-home --home-dir /var/lib/mbt-test --shell /bin/bash "$PG_USER"
    fi
    PG_HOME=$(getent passwd "$PG_USER" | cut -d: -f6)
    PG_USER_NAME=$PG_USER
    as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
    PG_HOME=$HOME
    PG_USER_NAME=$(id -un)
    as_pg() { "$@"; }
fi
PG_DIR=$(as_pg mktemp -d "$PG_HOME/mbt-pg.XXXXXX")

PG_PORT=""
for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then PG_PORT=$port; break; fi
done
[ -n "$PG_PORT" ] || { echo "no free port for the test PostgreSQL" >&2; exit 1; }

stop_pg() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}
trap stop_pg EXIT

# Durability settings are off: this cluster lives for one test run.
PG_OPTIONS="-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000"

# DatabaseOutageTests restarts and stops this cluster through this command (in the fault tests).
PG_CONTROL="$PG_DIR/control"
cat > "$PG_CONTROL" <<EOF
#!/usr/bin/env bash
set -e
pg() { if [ "\$(id -u)" -eq 0 ]; then runuser -u $PG_USER_NAME -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w "\$@"; else "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w "\$@"; fi; }
case "\$1" in
    restart-fast) pg restart -m fast ;;
    restart-immediate) pg restart -m immediate ;;
    stop) pg stop -m fast ;;
    start) pg start -o "$PG_OPTIONS" ;;
    *) echo "usage: \$0 restart-fast|restart-immediate|stop|start" >&2; exit 2 ;;
esac >/dev/null
EOF
chmod 755 "$PG_CONTROL"

log "starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start -o "$PG_OPTIONS" >/dev/null

# The OpenAPI document is validated by a real validator from PyPI, in a virtual environment of
# the script's own.
log "validating the OpenAPI document"
VENV=.venv-test
[ -x "$VENV/bin/openapi-spec-validator" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q openapi-spec-validator; }
"$VENV/bin/openapi-spec-validator" Sources/MBTServer/OpenAPI/openapi.json

log "building"
# The CLI tests run the mbt binary itself, so build the product as well as the tests.
swift build
swift build --build-tests

log "alpaca-py against a real mbt serve"
scripts/alpaca-py-test.sh

log "tests on SQLite"
swift test --skip-build

log "tests on PostgreSQL"
# At most 8 tests at once: each makes its own database and pool, and all of them at once on two
# cores made PostgreSQL miss the tests' deadlines.
MBT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
    swift test --skip-build --experimental-maximum-parallelization-width 8

# The fault tests load the machine (real servers under order load, killed and restarted), so they
# run apart from the other tests, which would otherwise miss their deadlines.
log "fault tests on SQLite and PostgreSQL"
# --no-parallel: one fault test at a time (the outage test stops the cluster the others use).
MBT_FAULT_TESTS=1 swift test --skip-build --no-parallel --filter 'CrashRecoveryTests|KilledJobTests'
MBT_FAULT_TESTS=1 MBT_FAULT_PG_CONTROL="$PG_CONTROL" \
    MBT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable" \
    swift test --skip-build --no-parallel --filter 'CrashRecoveryTests|KilledJobTests|TwoServerTests|DatabaseOutageTests'

log "browser tests (the web app in headless Chromium)"
scripts/browser-test.sh

log "fuzzing the API (schemathesis)"
scripts/fuzz-api.sh

log "all tests passed on SQLite and PostgreSQL, in the browser, and the API fuzzing found nothing"
