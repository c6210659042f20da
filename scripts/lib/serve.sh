# Shared by the scripts that drive a real `mbt serve` on loopback: source it, then call
#   mbt_free_port FIRST LAST      prints a port nobody listens on
#   mbt_token NAME                creates a user (DATABASE_URL) and prints its API token
#   mbt_start_server PORT LOG ARGS...   starts `$MBT serve --port PORT ARGS...`, sets MBT_SERVER_PID,
#                                       and waits until /health answers (fails after 60 s)
#   mbt_stop_server               SIGTERM, then waits for the process
#   mbt_bench_workspace           for the benchmark scripts: requires $MBT's release build, makes
#                                 $WORK (removed, the server stopped, on exit) and a migrated
#                                 DATABASE_URL (default: a fresh SQLite file in $WORK)
# $MBT names the binary (default .build/debug/mbt).
MBT=${MBT:-.build/debug/mbt}
MBT_SERVER_PID=""

mbt_free_port() {
    local port
    for port in $(seq "$1" "$2"); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    echo "no free port in $1-$2" >&2
    return 1
}

mbt_token() {
    "$MBT" users create "$1" | sed -n 's/^API token (shown once, store it now): //p'
}

mbt_start_server() {
    local port=$1 log=$2
    shift 2
    "$MBT" serve --port "$port" "$@" >"$log" 2>&1 &
    MBT_SERVER_PID=$!
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
        kill -0 "$MBT_SERVER_PID" 2>/dev/null || { echo "mbt serve exited; its log:" >&2; tail -20 "$log" >&2; return 1; }
        sleep 0.2
    done
    echo "mbt serve did not answer /health within 60 s" >&2
    return 1
}

mbt_stop_server() {
    [ -n "$MBT_SERVER_PID" ] || return 0
    kill "$MBT_SERVER_PID" 2>/dev/null || true
    wait "$MBT_SERVER_PID" 2>/dev/null || true
    MBT_SERVER_PID=""
}

mbt_bench_workspace() {
    [ -x "$MBT" ] || { echo "no release build at $MBT; run: swift build -c release --scratch-path .build-release --product mbt" >&2; exit 1; }
    WORK=$(mktemp -d)
    trap 'mbt_stop_server; rm -rf "$WORK"' EXIT
    export DATABASE_URL=${DATABASE_URL:-sqlite://$WORK/mbt.sqlite}
    "$MBT" migrate up >/dev/null
}
