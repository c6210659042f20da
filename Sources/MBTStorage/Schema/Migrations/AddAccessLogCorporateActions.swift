/// The market-data access log records corporate-action reads too (`data_type`
/// `corporate_action`, docs/alpaca-api.md, "Market data"), one row per user and symbol served, so
/// every market-data read is logged per user. PostgreSQL swaps the check constraint; SQLite cannot
/// alter one, so it rebuilds the table (nothing refers to it) with its rows and index.
let addAccessLogCorporateActions = Migration(
    version: 24,
    name: "AddAccessLogCorporateActions",
    up: [
        .postgresOnly(
            """
            -- POSTGRES-ONLY
            ALTER TABLE market_data_access_log
                DROP CONSTRAINT market_data_access_log_data_type_check,
                ADD CONSTRAINT market_data_access_log_data_type_check
                    CHECK (data_type IN ('quote','bar','chain','corporate_action'))
            """,
            sqlite: try! AccessLogDDL.sqliteRebuild(types: AccessLogDDL.typesWithCorporateActions)
        )
    ],
    down: [
        .portable("DELETE FROM market_data_access_log WHERE data_type = 'corporate_action'"),
        .postgresOnly(
            """
            -- POSTGRES-ONLY
            ALTER TABLE market_data_access_log
                DROP CONSTRAINT market_data_access_log_data_type_check,
                ADD CONSTRAINT market_data_access_log_data_type_check CHECK (data_type IN ('quote','bar','chain'))
            """,
            sqlite: try! AccessLogDDL.sqliteRebuild(types: AccessLogDDL.originalTypes)
        ),
    ]
)

/// `market_data_access_log` as migration 7 made it, with the `data_type` values a version allows.
enum AccessLogDDL {
    static let originalTypes = ["quote", "bar", "chain"]
    static let typesWithCorporateActions = originalTypes + ["corporate_action"]

    static func createTable(named table: String, types: [String]) -> String {
        let allowed = types.map { "'\($0)'" }.joined(separator: ",")
        return """
            CREATE TABLE \(table) (
                id          BIGSERIAL    PRIMARY KEY,
                user_id     BIGINT       NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                symbol      TEXT         NOT NULL,
                data_type   TEXT         NOT NULL CHECK (data_type IN (\(allowed))),
                fetched_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
                source      TEXT         NOT NULL DEFAULT 'alpaca'
            )
            """
    }

    static func sqliteRebuild(types: [String]) throws(StorageError) -> [String] {
        [
            try SQLiteDDLTranslator.translate(createTable(named: "market_data_access_log_rebuilt", types: types)),
            """
            INSERT INTO market_data_access_log_rebuilt (id, user_id, symbol, data_type, fetched_at, source)
            SELECT id, user_id, symbol, data_type, fetched_at, source FROM market_data_access_log
            """,
            "DROP TABLE market_data_access_log",
            "ALTER TABLE market_data_access_log_rebuilt RENAME TO market_data_access_log",
            try SQLiteDDLTranslator.translate("CREATE INDEX mdal_user_ts ON market_data_access_log(user_id, fetched_at DESC)"),
        ]
    }
}
