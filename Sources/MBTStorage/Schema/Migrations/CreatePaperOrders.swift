/// `paper_orders` as the record defines it (SC-2). There is no legacy table to rename here.
let createPaperOrders = Migration(
    version: 6,
    name: "CreatePaperOrders",
    up: [
        .portable(
            """
            CREATE TABLE paper_orders (
                id                 BIGSERIAL PRIMARY KEY,
                user_id            BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                symbol             TEXT          NOT NULL,
                side               TEXT          NOT NULL CHECK (side IN ('buy', 'sell')),
                qty                NUMERIC(18,6) NOT NULL CHECK (qty > 0),
                order_type         TEXT          NOT NULL
                                   CHECK (order_type IN ('market', 'limit')),
                time_in_force      TEXT          NOT NULL DEFAULT 'day'
                                   CHECK (time_in_force IN ('day', 'gtc', 'ioc')),
                limit_price        NUMERIC(18,6),
                status             TEXT          NOT NULL DEFAULT 'new'
                                   CHECK (status IN
                                       ('new', 'accepted', 'filled', 'canceled',
                                        'rejected', 'expired')),
                submitted_at       TIMESTAMPTZ   NOT NULL DEFAULT now(),
                filled_at          TIMESTAMPTZ,
                fill_price         NUMERIC(18,6),
                slippage_basis     NUMERIC(18,6),
                strategy_id        BIGINT        REFERENCES strategies(id) ON DELETE SET NULL,
                parent_order_id    BIGINT        REFERENCES paper_orders(id) ON DELETE SET NULL,
                related_leg_orders JSONB,        -- [{id, symbol, side, qty}] for multi-leg parent
                asset_class        TEXT          NOT NULL DEFAULT 'us_equity'
                                   CHECK (asset_class IN ('us_equity', 'option')),
                reject_reason      TEXT
            )
            """),
        .portable("CREATE INDEX po_user_status    ON paper_orders(user_id, status)"),
        .portable("CREATE INDEX po_user_submitted ON paper_orders(user_id, submitted_at DESC)"),
        .portable(
            """
            CREATE INDEX po_resting        ON paper_orders(user_id, symbol)
                WHERE status IN ('new', 'accepted')
            """),
    ],
    down: [
        .portable("DROP TABLE paper_orders")
    ]
)
