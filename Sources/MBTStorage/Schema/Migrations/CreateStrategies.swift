/// Strategies that orders can belong to, and the covered-call (LCC) roll settings.
let createStrategies = Migration(
    version: 3,
    name: "CreateStrategies",
    up: [
        .portable(
            """
            CREATE TABLE strategies (
                id                     BIGSERIAL PRIMARY KEY,
                user_id                BIGINT      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name                   TEXT        NOT NULL,
                kind                   TEXT        NOT NULL DEFAULT 'custom'
                                       CHECK (kind IN ('custom', 'iron_condor', 'lcc')),
                default_tax_lot_method TEXT
                                       CHECK (default_tax_lot_method IN ('fifo', 'lifo', 'hifo', 'specific_id')),
                created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
                UNIQUE (user_id, name)
            )
            """),
        .portable(
            """
            CREATE TABLE lcc_strategy_config (
                strategy_id            BIGINT      PRIMARY KEY REFERENCES strategies(id) ON DELETE CASCADE,
                underlying             TEXT        NOT NULL,
                default_tax_lot_method TEXT        NOT NULL DEFAULT 'fifo'
                                       CHECK (default_tax_lot_method IN ('fifo', 'lifo', 'hifo', 'specific_id')),
                roll_days_before_expiry INTEGER    NOT NULL DEFAULT 7 CHECK (roll_days_before_expiry >= 0),
                updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """),
    ],
    down: [
        .portable("DROP TABLE lcc_strategy_config"),
        .portable("DROP TABLE strategies"),
    ]
)
