/// `paper_fills` and `market_data_access_log` as the record defines them (SC-3).
let createPaperFillsAndAccessLog = Migration(
    version: 7,
    name: "CreatePaperFillsAndAccessLog",
    up: [
        .portable(
            """
            CREATE TABLE paper_fills (
                id              BIGSERIAL PRIMARY KEY,
                paper_order_id  BIGINT        NOT NULL REFERENCES paper_orders(id) ON DELETE CASCADE,
                fill_qty        NUMERIC(18,6) NOT NULL,
                fill_price      NUMERIC(18,6) NOT NULL,
                ts              TIMESTAMPTZ   NOT NULL DEFAULT now(),
                slippage_basis  NUMERIC(18,6) NOT NULL DEFAULT 0,
                -- NBBO snapshot at fill time — supports deterministic replay and audit
                nbbo_bid        NUMERIC(18,6),
                nbbo_ask        NUMERIC(18,6)
            )
            """),
        .portable("CREATE INDEX pf_order ON paper_fills(paper_order_id)"),
        .portable(
            """
            CREATE TABLE market_data_access_log (
                id          BIGSERIAL    PRIMARY KEY,
                user_id     BIGINT       NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                symbol      TEXT         NOT NULL,
                data_type   TEXT         NOT NULL CHECK (data_type IN ('quote','bar','chain')),
                fetched_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
                source      TEXT         NOT NULL DEFAULT 'alpaca'
            )
            """),
        .portable("CREATE INDEX mdal_user_ts ON market_data_access_log(user_id, fetched_at DESC)"),
    ],
    down: [
        .portable("DROP TABLE market_data_access_log"),
        .portable("DROP TABLE paper_fills"),
    ]
)
