/// What the bar loop needs to stay cheap with a million resting orders (docs/fill-rules.md): partial indexes
/// that let the database find, per bar, only the limits the bar crossed and the market orders
/// waiting for the open, plus the expiry sweep's index; and when each symbol last caught up.
let addRestingOrderIndexes = Migration(
    version: 13,
    name: "AddRestingOrderIndexes",
    up: [
        .portable(
            """
            CREATE INDEX po_resting_buy_limits ON paper_orders(symbol, limit_price)
                WHERE status IN ('new', 'accepted') AND side = 'buy' AND order_type = 'limit'
            """),
        .portable(
            """
            CREATE INDEX po_resting_sell_limits ON paper_orders(symbol, limit_price)
                WHERE status IN ('new', 'accepted') AND side = 'sell' AND order_type = 'limit'
            """),
        // order_type is in the key although the predicate fixes it: with it SQLite's planner sees
        // two equalities and prefers this index to po_resting_by_symbol, which would visit every
        // resting order of the symbol.
        .portable(
            """
            CREATE INDEX po_resting_markets ON paper_orders(symbol, order_type, submitted_at)
                WHERE status IN ('new', 'accepted') AND order_type = 'market'
            """),
        .portable(
            """
            CREATE INDEX po_resting_by_symbol ON paper_orders(symbol, submitted_at)
                WHERE status IN ('new', 'accepted')
            """),
        .portable(
            """
            CREATE INDEX po_resting_expiry ON paper_orders(time_in_force, submitted_at)
                WHERE status IN ('new', 'accepted')
            """),
        .portable("ALTER TABLE bar_watermarks ADD COLUMN caught_up_at TIMESTAMPTZ"),
    ],
    down: [
        .portable("ALTER TABLE bar_watermarks DROP COLUMN caught_up_at"),
        .portable("DROP INDEX po_resting_expiry"),
        .portable("DROP INDEX po_resting_by_symbol"),
        .portable("DROP INDEX po_resting_markets"),
        .portable("DROP INDEX po_resting_sell_limits"),
        .portable("DROP INDEX po_resting_buy_limits"),
    ]
)
