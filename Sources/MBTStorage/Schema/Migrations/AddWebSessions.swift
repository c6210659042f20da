/// The web app's login (docs/web-app.md):
///
/// - `users.password_hash`: a bcrypt hash, `NULL` for a user who signs in with API tokens only;
/// - `web_sessions`: one row per signed-in browser, found by the SHA-256 hash of its cookie, with
///   its CSRF token, its last use (idle expiry) and its absolute expiry; in the database so every
///   server on it knows every session;
/// - `web_login_failures`: failed sign-ins by user name and client address, counted over a window
///   to slow down password guessing on every server alike.
let addWebSessions = Migration(
    version: 21,
    name: "AddWebSessions",
    up: [
        .portable("ALTER TABLE users ADD COLUMN password_hash TEXT"),
        .portable(
            """
            CREATE TABLE web_sessions (
                id            BIGSERIAL PRIMARY KEY,
                user_id       BIGINT      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                token_hash    TEXT        NOT NULL UNIQUE,
                csrf_token    TEXT        NOT NULL,
                created_at    TIMESTAMPTZ NOT NULL,
                last_seen_at  TIMESTAMPTZ NOT NULL,
                expires_at    TIMESTAMPTZ NOT NULL
            )
            """),
        .portable("CREATE INDEX web_sessions_user ON web_sessions(user_id)"),
        .portable("CREATE INDEX web_sessions_expiry ON web_sessions(expires_at)"),
        .portable(
            """
            CREATE TABLE web_login_failures (
                id         BIGSERIAL PRIMARY KEY,
                user_name  TEXT        NOT NULL,
                address    TEXT        NOT NULL,
                failed_at  TIMESTAMPTZ NOT NULL
            )
            """),
        .portable("CREATE INDEX web_login_failures_user ON web_login_failures(user_name, failed_at)"),
        .portable("CREATE INDEX web_login_failures_address ON web_login_failures(address, failed_at)"),
    ],
    down: [
        .portable("DROP TABLE web_login_failures"),
        .portable("DROP TABLE web_sessions"),
        .portable("ALTER TABLE users DROP COLUMN password_hash"),
    ]
)
