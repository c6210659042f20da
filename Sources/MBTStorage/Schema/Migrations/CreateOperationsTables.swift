/// What the engine and the daily jobs record (docs/fill-rules.md, docs/jobs.md): the audit trail, cash movements
/// other than fills, end-of-day snapshots, job runs and the per-symbol bar watermarks.
let createOperationsTables = Migration(
    version: 9,
    name: "CreateOperationsTables",
    up: [
        .portable(
            """
            CREATE TABLE audit_log (
                id             BIGSERIAL PRIMARY KEY,
                user_id        BIGINT      REFERENCES users(id) ON DELETE CASCADE,
                actor_user_id  BIGINT      REFERENCES users(id) ON DELETE SET NULL,
                action         TEXT        NOT NULL,
                entity_type    TEXT,
                entity_id      BIGINT,
                before_state   JSONB,
                after_state    JSONB,
                occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """),
        .portable("CREATE INDEX al_user_occurred ON audit_log(user_id, occurred_at DESC)"),
        .portable(
            """
            CREATE TABLE cash_movements (
                id           BIGSERIAL PRIMARY KEY,
                user_id      BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                kind         TEXT          NOT NULL
                             CHECK (kind IN ('dividend', 'cash_in_lieu', 'option_cash_settlement',
                                             'account_reset', 'fee', 'adjustment')),
                amount       NUMERIC(18,6) NOT NULL,
                symbol       TEXT,
                description  TEXT          NOT NULL DEFAULT '',
                dedupe_key   TEXT          UNIQUE,
                occurred_at  TIMESTAMPTZ   NOT NULL DEFAULT now()
            )
            """),
        .portable("CREATE INDEX cm_user_occurred ON cash_movements(user_id, occurred_at)"),
        .portable(
            """
            CREATE TABLE mbt_eod_snapshots (
                id             BIGSERIAL PRIMARY KEY,
                user_id        BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                snapshot_date  TEXT          NOT NULL CHECK (length(snapshot_date) = 10),
                equity         NUMERIC(18,6) NOT NULL,
                cash           NUMERIC(18,6) NOT NULL,
                positions_json JSONB         NOT NULL,
                created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
                UNIQUE (user_id, snapshot_date)
            )
            """),
        .portable(
            """
            CREATE TABLE job_runs (
                id           BIGSERIAL PRIMARY KEY,
                job_name     TEXT        NOT NULL,
                run_date     TEXT        NOT NULL CHECK (length(run_date) = 10),
                status       TEXT        NOT NULL DEFAULT 'running'
                             CHECK (status IN ('running', 'succeeded', 'failed')),
                owner        TEXT        NOT NULL,
                lease_until  TIMESTAMPTZ NOT NULL,
                started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
                finished_at  TIMESTAMPTZ,
                detail       TEXT        NOT NULL DEFAULT '',
                UNIQUE (job_name, run_date)
            )
            """),
        .portable(
            """
            CREATE TABLE bar_watermarks (
                symbol            TEXT        PRIMARY KEY,
                last_bar_at       TIMESTAMPTZ NOT NULL,
                bars_caught_up    INTEGER     NOT NULL DEFAULT 0 CHECK (bars_caught_up >= 0),
                lease_owner       TEXT,
                lease_until       TIMESTAMPTZ,
                updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """),
    ],
    down: [
        .portable("DROP TABLE bar_watermarks"),
        .portable("DROP TABLE job_runs"),
        .portable("DROP TABLE mbt_eod_snapshots"),
        .portable("DROP TABLE cash_movements"),
        .portable("DROP TABLE audit_log"),
    ]
)
