/// Alpaca-style API key pairs (docs/alpaca-api.md): a public key id and a secret shown once and
/// stored only as a SHA-256 hash. A revoked pair keeps its row (for the audit trail) and stops
/// authenticating.
let createAPIKeys = Migration(
    version: 19,
    name: "CreateAPIKeys",
    up: [
        .portable(
            """
            CREATE TABLE api_keys (
                id           BIGSERIAL PRIMARY KEY,
                user_id      BIGINT      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                key_id       TEXT        NOT NULL UNIQUE CHECK (length(key_id) BETWEEN 16 AND 64),
                secret_hash  TEXT        NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                revoked_at   TIMESTAMPTZ
            )
            """),
        .portable("CREATE INDEX api_keys_user ON api_keys(user_id)"),
    ],
    down: [
        .portable("DROP TABLE api_keys")
    ]
)
