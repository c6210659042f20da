/// The tax engine's state (docs/tax-rules.md): lots, their dispositions, wash-sale adjustments and
/// holding-period classifications.
///
/// Fill ids are plain columns rather than foreign keys: these tables precede `paper_fills` (the
/// record's `paper_positions.wash_sale_lot_id` needs `wash_sale_lots` first), and every row goes
/// with its user through `user_id … ON DELETE CASCADE`.
let createTaxTables = Migration(
    version: 4,
    name: "CreateTaxTables",
    up: [
        .portable(
            """
            CREATE TABLE tax_lots (
                id                   BIGSERIAL PRIMARY KEY,
                user_id              BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                symbol               TEXT          NOT NULL,
                underlying           TEXT          NOT NULL,
                asset_class          TEXT          NOT NULL DEFAULT 'us_equity'
                                     CHECK (asset_class IN ('us_equity', 'option')),
                side                 TEXT          NOT NULL CHECK (side IN ('long', 'short')),
                open_fill_id         BIGINT,
                qty                  NUMERIC(18,6) NOT NULL CHECK (qty > 0),
                remaining_qty        NUMERIC(18,6) NOT NULL CHECK (remaining_qty >= 0),
                multiplier           INTEGER       NOT NULL DEFAULT 1 CHECK (multiplier > 0),
                cost_basis           NUMERIC(18,6) NOT NULL,
                remaining_basis      NUMERIC(18,6) NOT NULL,
                wash_sale_adjustment NUMERIC(18,6) NOT NULL DEFAULT 0,
                acquired_at          TIMESTAMPTZ   NOT NULL,
                adjusted_acquired_at TIMESTAMPTZ   NOT NULL,
                section_1256         BOOLEAN       NOT NULL DEFAULT FALSE,
                closed_at            TIMESTAMPTZ,
                CHECK (remaining_qty <= qty)
            )
            """),
        .portable("CREATE INDEX tl_user_symbol_open ON tax_lots(user_id, symbol) WHERE closed_at IS NULL"),
        .portable("CREATE INDEX tl_user_underlying ON tax_lots(user_id, underlying, acquired_at)"),
        .portable(
            """
            CREATE TABLE tax_lot_dispositions (
                id                   BIGSERIAL PRIMARY KEY,
                user_id              BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                tax_lot_id           BIGINT        NOT NULL REFERENCES tax_lots(id) ON DELETE CASCADE,
                close_fill_id        BIGINT,
                kind                 TEXT          NOT NULL DEFAULT 'sale'
                                     CHECK (kind IN ('sale', 'cover', 'expiry', 'assignment', 'exercise',
                                                     'cash_settlement', 'mark_to_market')),
                lot_method           TEXT          NOT NULL
                                     CHECK (lot_method IN ('fifo', 'lifo', 'hifo', 'specific_id')),
                qty                  NUMERIC(18,6) NOT NULL CHECK (qty > 0),
                proceeds             NUMERIC(18,6) NOT NULL,
                cost_basis           NUMERIC(18,6) NOT NULL,
                gain                 NUMERIC(18,6) NOT NULL,
                wash_sale_disallowed NUMERIC(18,6) NOT NULL DEFAULT 0 CHECK (wash_sale_disallowed >= 0),
                disposed_at          TIMESTAMPTZ   NOT NULL
            )
            """),
        .portable("CREATE INDEX tld_user_disposed ON tax_lot_dispositions(user_id, disposed_at)"),
        .portable("CREATE INDEX tld_lot ON tax_lot_dispositions(tax_lot_id)"),
        .portable(
            """
            CREATE TABLE wash_sale_lots (
                id                   BIGSERIAL PRIMARY KEY,
                user_id              BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                loss_disposition_id  BIGINT        NOT NULL REFERENCES tax_lot_dispositions(id) ON DELETE CASCADE,
                replacement_lot_id   BIGINT        NOT NULL REFERENCES tax_lots(id) ON DELETE CASCADE,
                qty                  NUMERIC(18,6) NOT NULL CHECK (qty > 0),
                disallowed_loss      NUMERIC(18,6) NOT NULL CHECK (disallowed_loss >= 0),
                holding_days_carried INTEGER       NOT NULL DEFAULT 0 CHECK (holding_days_carried >= 0),
                created_at           TIMESTAMPTZ   NOT NULL DEFAULT now()
            )
            """),
        .portable("CREATE INDEX wsl_user ON wash_sale_lots(user_id)"),
        .portable("CREATE INDEX wsl_replacement ON wash_sale_lots(replacement_lot_id)"),
        .portable(
            """
            CREATE TABLE holding_period_classifications (
                id                   BIGSERIAL PRIMARY KEY,
                user_id              BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                disposition_id       BIGINT        NOT NULL UNIQUE
                                     REFERENCES tax_lot_dispositions(id) ON DELETE CASCADE,
                term                 TEXT          NOT NULL CHECK (term IN ('short', 'long', 'section_1256')),
                holding_days         INTEGER       NOT NULL CHECK (holding_days >= 0),
                short_term_gain      NUMERIC(18,6) NOT NULL DEFAULT 0,
                long_term_gain       NUMERIC(18,6) NOT NULL DEFAULT 0,
                tax_year             INTEGER       NOT NULL,
                classified_at        TIMESTAMPTZ   NOT NULL DEFAULT now()
            )
            """),
        .portable("CREATE INDEX hpc_user_year ON holding_period_classifications(user_id, tax_year)"),
    ],
    down: [
        .portable("DROP TABLE holding_period_classifications"),
        .portable("DROP TABLE wash_sale_lots"),
        .portable("DROP TABLE tax_lot_dispositions"),
        .portable("DROP TABLE tax_lots"),
    ]
)
