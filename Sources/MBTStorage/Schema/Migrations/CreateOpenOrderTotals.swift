/// `paper_open_order_totals`: each account's open simple orders summed by symbol, side and limit
/// price, what the buying-power rule reserves for them (docs/ledger.md). The statements that open
/// and close orders keep it (``OpenOrderTotals``), so taking an account's lock reads a few rows
/// instead of every order it has resting; `mbt verify` checks it against `paper_orders`.
///
/// A primary key cannot hold NULL, so a market order's missing limit is stored as 0 (a limit is
/// always positive).
let createOpenOrderTotals = Migration(
    version: 27,
    name: "CreateOpenOrderTotals",
    up: [
        .portable(
            """
            CREATE TABLE paper_open_order_totals (
                user_id      BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                symbol       TEXT          NOT NULL,
                side         TEXT          NOT NULL CHECK (side IN ('buy', 'sell')),
                limit_price  NUMERIC(18,6) NOT NULL,
                qty          NUMERIC(18,6) NOT NULL,
                PRIMARY KEY (user_id, symbol, side, limit_price)
            )
            """),
        .portable(
            """
            INSERT INTO paper_open_order_totals (user_id, symbol, side, limit_price, qty)
            SELECT user_id, symbol, side, COALESCE(limit_price, 0), SUM(qty) FROM paper_orders
            WHERE status IN ('new', 'accepted') AND order_class = 'simple'
            GROUP BY user_id, symbol, side, COALESCE(limit_price, 0)
            """),
    ],
    down: [
        .portable("DROP TABLE paper_open_order_totals")
    ]
)
