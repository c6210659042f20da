"""The soak's load (scripts/soak.sh): clients mixing orders, cancels, replaces and reads.

Usage: soak.py BASE_URL SERVER_PID MINUTES CLIENTS TOKEN...
Prints one line per minute: requests, requests/s, p50 and p99 latency in ms, non-2xx answers by
status, and the server's resident memory (VmRSS of SERVER_PID). Exits 1 on any 5xx.
"""
import http.client
import json
import random
import sys
import threading
import time
from urllib.parse import urlparse

base, pid, minutes, clients, tokens = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
host = urlparse(base)
lock = threading.Lock()
minute = {"latencies": [], "statuses": {}}
stop_at = time.time() + minutes * 60


def rss_mb():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def client(number):
    rng = random.Random(number)
    token = tokens[number % len(tokens)]
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    resting = []

    def call(method, path, body=None):
        started = time.perf_counter()
        try:
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            status, data = 0, b""
        with lock:
            minute["latencies"].append(time.perf_counter() - started)
            minute["statuses"][status] = minute["statuses"].get(status, 0) + 1
        return status, data

    while time.time() < stop_at:
        roll = rng.random()
        symbol = rng.choice(["AAPL", "MSFT", "SPY"])
        if roll < 0.35:
            status, data = call("POST", "/api/trading/orders", {
                "symbol": symbol, "side": rng.choice(["buy", "sell"]), "qty": "1", "order_type": "limit",
                "limit_price": rng.choice(["1.00", "50.00", "100.00"]), "time_in_force": "gtc"})
            if status == 201:
                resting.append(json.loads(data)["id"])
        elif roll < 0.45:
            call("POST", "/api/trading/orders", {"symbol": symbol, "side": "buy", "qty": "1", "order_type": "market"})
        elif roll < 0.55 and resting:
            call("DELETE", f"/api/trading/orders/{resting.pop(rng.randrange(len(resting)))}")
        elif roll < 0.62 and resting:
            order = resting.pop(rng.randrange(len(resting)))
            status, data = call("PATCH", f"/api/trading/orders/{order}", {"limit_price": "2.00"})
            if status in (200, 201):
                resting.append(json.loads(data)["id"])
        elif roll < 0.75:
            call("GET", "/api/trading/account")
        elif roll < 0.85:
            call("GET", "/api/trading/positions")
        elif roll < 0.95:
            call("GET", "/api/trading/orders?limit=50")
        else:
            call("GET", f"/api/market/quotes?symbols={symbol}")


threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
for thread in threads:
    thread.start()
print(f"{'minute':>6} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'rss MB':>7}  non-2xx", flush=True)
server_errors = 0
for index in range(1, minutes + 1):
    time.sleep(max(0.0, min(60.0, stop_at - time.time())))
    with lock:
        latencies = sorted(minute["latencies"])
        statuses = dict(minute["statuses"])
        minute["latencies"], minute["statuses"] = [], {}
    count = len(latencies)
    p50 = latencies[count // 2] * 1000 if count else 0.0
    p99 = latencies[min(count - 1, int(count * 0.99))] * 1000 if count else 0.0
    other = {status: n for status, n in sorted(statuses.items()) if not 200 <= status < 300}
    server_errors += sum(n for status, n in other.items() if status >= 500 or status == 0)
    print(f"{index:>6} {count:>9} {count / 60:>7.1f} {p50:>8.2f} {p99:>8.2f} {rss_mb():>7.1f}  {other or '-'}", flush=True)
for thread in threads:
    thread.join(timeout=35)
sys.exit(1 if server_errors else 0)
