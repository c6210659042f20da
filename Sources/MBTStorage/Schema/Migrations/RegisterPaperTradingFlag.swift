/// The feature-flag registry and the paper-trading flag's registration (record SC-15).
///
/// The row records that the flag exists and how risky it is; whether it is on comes from
/// `feature_flags.yaml` for the environment, overridden by the environment variable of its name.
let registerPaperTradingFlag = Migration(
    version: 2,
    name: "RegisterPaperTradingFlag",
    up: [
        .portable(
            """
            CREATE TABLE feature_flags (
                name           TEXT        PRIMARY KEY,
                risk           TEXT        NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
                description    TEXT        NOT NULL,
                registered_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """),
        .portable(
            """
            INSERT INTO feature_flags (name, risk, description)
            VALUES ('FLAG_PAPER_TRADING_V1', 'high', 'Paper trading: every /api/trading route and page')
            """),
    ],
    down: [
        .portable("DROP TABLE feature_flags")
    ]
)
