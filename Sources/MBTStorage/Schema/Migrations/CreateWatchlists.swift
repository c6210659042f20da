/// Watchlists (docs/alpaca-api.md, "Watchlists"): a user's named, ordered lists of symbols. The
/// rows go with their user (and the symbols with their list), and are part of the user's data
/// export (docs/privacy.md).
let createWatchlists = Migration(
    version: 22,
    name: "CreateWatchlists",
    up: [
        .portable(
            """
            CREATE TABLE watchlists (
                id          BIGSERIAL PRIMARY KEY,
                user_id     BIGINT      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
                created_at  TIMESTAMPTZ NOT NULL,
                updated_at  TIMESTAMPTZ NOT NULL,
                UNIQUE (user_id, name)
            )
            """),
        .portable(
            """
            CREATE TABLE watchlist_assets (
                watchlist_id  BIGINT      NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
                symbol        TEXT        NOT NULL CHECK (length(symbol) BETWEEN 1 AND 32),
                position      INTEGER     NOT NULL,
                added_at      TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (watchlist_id, symbol)
            )
            """),
    ],
    down: [
        .portable("DROP TABLE watchlist_assets"),
        .portable("DROP TABLE watchlists"),
    ]
)
