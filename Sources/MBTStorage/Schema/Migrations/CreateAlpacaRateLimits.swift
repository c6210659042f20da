/// The Alpaca-compatible API's per-key request counters (docs/alpaca-api.md, "Rate limit"): one
/// row per key and wall-clock minute, upserted by every server process on the same PostgreSQL
/// database so the limit holds across them. A row names the key by a hash, never the key id, and
/// lives only a few minutes (the limiter deletes older ones). SQLite serves one process, whose
/// limiter counts in memory; the table exists there too so both schemas stay alike.
let createAlpacaRateLimits = Migration(
    version: 23,
    name: "CreateAlpacaRateLimits",
    up: [
        .portable(
            """
            CREATE TABLE alpaca_rate_limits (
                key_hash  TEXT    NOT NULL,
                minute    BIGINT  NOT NULL,
                requests  INTEGER NOT NULL,
                PRIMARY KEY (key_hash, minute)
            )
            """),
        .portable("CREATE INDEX alpaca_rate_limits_minute ON alpaca_rate_limits(minute)"),
    ],
    down: [
        .portable("DROP TABLE alpaca_rate_limits")
    ]
)
