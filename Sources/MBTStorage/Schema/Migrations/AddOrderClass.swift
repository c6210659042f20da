/// Resting multi-leg orders (docs/multi-leg.md). A combo's parent and legs stay open while it
/// rests, so the single-order machinery must never see them: `order_class` tells them apart
/// (Alpaca's `simple` and `mleg`), and the bar loop's partial indexes of migration 13 are rebuilt
/// to hold simple orders only, which keeps the bar loop's queries unaware of combos. A resting
/// parent holds back its structure's maximum loss at its net limit, `reserved_buying_power`,
/// fixed when it was placed, as the single-order rule fixes a limit's price.
let addOrderClass = Migration(
    version: 18,
    name: "AddOrderClass",
    up: [
        .portable(
            "ALTER TABLE paper_orders ADD COLUMN order_class TEXT NOT NULL DEFAULT 'simple' CHECK (order_class IN ('simple', 'mleg'))"),
        .portable("ALTER TABLE paper_orders ADD COLUMN reserved_buying_power NUMERIC(18,6)"),
        .portable("UPDATE paper_orders SET order_class = 'mleg' WHERE parent_order_id IS NOT NULL OR related_leg_orders IS NOT NULL"),
        .portable("DROP INDEX po_resting_buy_limits"),
        .portable("DROP INDEX po_resting_sell_limits"),
        .portable("DROP INDEX po_resting_markets"),
        .portable("DROP INDEX po_resting_by_symbol"),
        .portable("DROP INDEX po_resting_expiry"),
        .portable(
            """
            CREATE INDEX po_resting_buy_limits ON paper_orders(symbol, limit_price)
                WHERE status IN ('new', 'accepted') AND order_class = 'simple' AND side = 'buy' AND order_type = 'limit'
            """),
        .portable(
            """
            CREATE INDEX po_resting_sell_limits ON paper_orders(symbol, limit_price)
                WHERE status IN ('new', 'accepted') AND order_class = 'simple' AND side = 'sell' AND order_type = 'limit'
            """),
        .portable(
            """
            CREATE INDEX po_resting_markets ON paper_orders(symbol, order_type, submitted_at)
                WHERE status IN ('new', 'accepted') AND order_class = 'simple' AND order_type = 'market'
            """),
        .portable(
            """
            CREATE INDEX po_resting_by_symbol ON paper_orders(symbol, submitted_at)
                WHERE status IN ('new', 'accepted') AND order_class = 'simple'
            """),
        .portable(
            """
            CREATE INDEX po_resting_expiry ON paper_orders(time_in_force, submitted_at)
                WHERE status IN ('new', 'accepted') AND order_class = 'simple'
            """),
        // A combo's legs by parent: listings, the bar loop's combo book and `mbt verify` read them.
        .portable("CREATE INDEX po_parent ON paper_orders(parent_order_id) WHERE parent_order_id IS NOT NULL"),
        // Resting combos, parents only: the bar loop reads them all on every tick.
        .portable(
            """
            CREATE INDEX po_resting_combos ON paper_orders(submitted_at)
                WHERE status IN ('new', 'accepted') AND order_class = 'mleg' AND parent_order_id IS NULL
            """),
    ],
    down: [
        .portable("DROP INDEX po_resting_combos"),
        .portable("DROP INDEX po_parent"),
        .portable("DROP INDEX po_resting_expiry"),
        .portable("DROP INDEX po_resting_by_symbol"),
        .portable("DROP INDEX po_resting_markets"),
        .portable("DROP INDEX po_resting_sell_limits"),
        .portable("DROP INDEX po_resting_buy_limits"),
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
        .portable("ALTER TABLE paper_orders DROP COLUMN reserved_buying_power"),
        .portable("ALTER TABLE paper_orders DROP COLUMN order_class"),
    ]
)
