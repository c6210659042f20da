#!/usr/bin/env python3
"""Writes a replay recording of random-walk minute bars in Alpaca's multi-symbol bars shape
(docs/replay-format.md): SYMBOLS symbols x 390 bars of Friday 2026-03-20's session. 900 symbols
make about 36 MB, the size scripts/bench-startup.sh is measured with (docs/performance.md).
Prices are written with two decimals, so no binary rounding reaches the file.
Usage: scripts/make-replay.py SYMBOLS OUT.json"""
import datetime
import random
import string
import sys


def name(index):
    letters = ""
    for _ in range(4):
        letters = string.ascii_uppercase[index % 26] + letters
        index //= 26
    return letters


def cents(value):
    return "%d.%02d" % divmod(value, 100)


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or not 1 <= int(sys.argv[1]) <= 20000:
        sys.exit("usage: make-replay.py SYMBOLS(1-20000) OUT.json")
    rng = random.Random(7)
    start = datetime.datetime(2026, 3, 20, 13, 30, tzinfo=datetime.timezone.utc)
    series = []
    for index in range(int(sys.argv[1])):
        price = rng.randint(2000, 40000)
        bars = []
        for minute in range(390):
            t = (start + datetime.timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")
            close = max(100, price + rng.randint(-40, 40))
            high, low = max(price, close) + rng.randint(0, 10), max(1, min(price, close) - rng.randint(0, 10))
            bars.append('{"t":"%s","o":%s,"h":%s,"l":%s,"c":%s,"v":%d,"n":%d,"vw":%s}' % (
                t, cents(price), cents(high), cents(low), cents(close), rng.randint(100, 90000), rng.randint(1, 900),
                cents((price + close) // 2)))
            price = close
        series.append('"%s":[%s]' % (name(index + 1000), ",".join(bars)))
    with open(sys.argv[2], "w") as out:
        out.write('{"bars":{%s},"next_page_token":null}' % ",".join(series))


main()
