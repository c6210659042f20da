#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI) against a real `mbt serve` on loopback, driven by the served
# OpenAPI document. It fails on any 5xx, any response the document does not describe, and any
# request with one user's token that reads or changes another user's data (Tests/fuzz/hooks.py).
# Bounded: a fixed number of examples per operation and a time budget. Usage: scripts/fuzz-api.sh
# [max-examples]; needs .build/debug/mbt and the test venv (.venv-test), which scripts/test.sh makes.
set -euo pipefail
cd "$(dirname "$0")/.."

EXAMPLES=${1:-${MBT_FUZZ_EXAMPLES:-25}}
# The coverage phase alone generates tens of thousands of cases; the budget bounds the run.
BUDGET=${MBT_FUZZ_SECONDS:-180}
VENV=.venv-test
[ -x "$VENV/bin/st" ] || "$VENV/bin/pip" install -q schemathesis==4.32.5
source scripts/lib/serve.sh

WORK=$(mktemp -d)
trap 'mbt_stop_server; rm -rf "$WORK"' EXIT
PORT=$(mbt_free_port 18080 18180)

export DATABASE_URL="sqlite://$WORK/mbt.sqlite"
"$MBT" migrate up >/dev/null
TOKEN=$(mbt_token fuzz)
OTHER=$(mbt_token other)

# A Wednesday in session on the simulated market, so orders fill and rest as in real use.
mbt_start_server "$PORT" "$WORK/serve.log" --market simulated --clock-start 2026-03-18T15:00:00Z --no-demo-user
BASE="http://127.0.0.1:$PORT"

# The other user's data the fuzzer must never reach with its own token.
post() { curl -fs -X POST "$BASE$1" -H "Authorization: Bearer $OTHER" -H 'Content-Type: application/json' -d "$2"; }
post /api/trading/orders '{"symbol":"AAPL","side":"buy","qty":"1","order_type":"market"}' >"$WORK/other-order.json"
post /api/trading/orders '{"symbol":"AAPL","side":"buy","qty":"1","order_type":"limit","limit_price":"1.00","time_in_force":"gtc"}' \
    >"$WORK/other-resting.json"
post /api/strategies '{"name":"other","kind":"custom"}' >"$WORK/other-strategy.json"
export MBT_FUZZ_OTHER_IDS
MBT_FUZZ_OTHER_IDS=$("$VENV/bin/python" - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
ids = lambda name: str(json.load(open(f"{work}/{name}.json"))["id"])
print(json.dumps({"orders": [ids("other-order"), ids("other-resting")], "strategies": [ids("other-strategy")]}))
PY
)
before=$(curl -fs "$BASE/api/trading/orders?limit=100" -H "Authorization: Bearer $OTHER")

started=$(date +%s)
# One worker: with two threads, hypothesis describing its strategies parses source concurrently,
# which CPython 3.11's ast module can fail at ("AST constructor recursion depth mismatch"), an
# error of the fuzzer's and not of the server's.
PYTHONPATH=. SCHEMATHESIS_HOOKS=Tests.fuzz.hooks "$VENV/bin/st" run "$BASE/openapi.json" \
    -H "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance,other_users_data_unreachable \
    --max-examples "$EXAMPLES" --seed 1 --workers 1 --max-time "$BUDGET" --request-timeout 10 --no-color --warnings off \
    --suppress-health-check all

after=$(curl -fs "$BASE/api/trading/orders?limit=100" -H "Authorization: Bearer $OTHER")
[ "$before" = "$after" ] || { echo "the other user's orders changed during fuzzing" >&2; exit 1; }
"$MBT" verify >/dev/null || { echo "mbt verify found a violation after fuzzing" >&2; exit 1; }
echo "fuzzing passed in $(( $(date +%s) - started )) s; the other user's data untouched; mbt verify clean"
