/// Users, their paper accounts and their hashed API tokens.
let createUsers = Migration(
    version: 1,
    name: "CreateUsers",
    up: [
        .portable(
            """
            CREATE TABLE users (
                id          BIGSERIAL PRIMARY KEY,
                name        TEXT        NOT NULL UNIQUE
                            CHECK (length(name) BETWEEN 1 AND 64),
                role        TEXT        NOT NULL DEFAULT 'user'
                            CHECK (role IN ('user', 'admin')),
                tier        TEXT        NOT NULL DEFAULT 'free'
                            CHECK (tier IN ('free', 'pro', 'proplus')),
                created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """),
        .portable(
            """
            CREATE TABLE paper_accounts (
                id                     BIGSERIAL PRIMARY KEY,
                user_id                BIGINT        NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
                starting_balance       NUMERIC(18,6) NOT NULL CHECK (starting_balance > 0),
                cash_balance           NUMERIC(18,6) NOT NULL,
                status                 TEXT          NOT NULL DEFAULT 'active'
                                       CHECK (status IN ('active', 'suspended')),
                default_tax_lot_method TEXT          NOT NULL DEFAULT 'fifo'
                                       CHECK (default_tax_lot_method IN ('fifo', 'lifo', 'hifo', 'specific_id')),
                created_at             TIMESTAMPTZ   NOT NULL DEFAULT now(),
                updated_at             TIMESTAMPTZ   NOT NULL DEFAULT now()
            )
            """),
        .portable(
            """
            CREATE TABLE api_tokens (
                id            BIGSERIAL PRIMARY KEY,
                user_id       BIGINT      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                token_hash    TEXT        NOT NULL UNIQUE,
                created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
                last_used_at  TIMESTAMPTZ,
                revoked_at    TIMESTAMPTZ
            )
            """),
        .portable("CREATE INDEX api_tokens_user ON api_tokens(user_id)"),
    ],
    down: [
        .portable("DROP TABLE api_tokens"),
        .portable("DROP TABLE paper_accounts"),
        .portable("DROP TABLE users"),
    ]
)
