/// `paper_positions` as the record defines it (SC-1).
let createPaperPositions = Migration(
    version: 5,
    name: "CreatePaperPositions",
    up: [
        .portable(PaperPositionsDDL.createTable(lastFillForeignKey: false)),
        .portable(PaperPositionsDDL.openIndex),
        .portable(PaperPositionsDDL.symbolIndex),
    ],
    down: [
        .portable("DROP TABLE paper_positions")
    ]
)

/// The `paper_positions` DDL, shared by its creation and by the SQLite table rebuild that adds the
/// `last_fill_id` foreign key later.
enum PaperPositionsDDL {
    static func createTable(named table: String = "paper_positions", lastFillForeignKey: Bool) -> String {
        let lastFill =
            lastFillForeignKey
            ? "last_fill_id     BIGINT        REFERENCES paper_fills(id) ON DELETE SET NULL,"
            : "last_fill_id     BIGINT,       -- FK added after paper_fills exists"
        return """
            CREATE TABLE \(table) (
                id               BIGSERIAL PRIMARY KEY,
                user_id          BIGINT        NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                symbol           TEXT          NOT NULL,
                side             TEXT          NOT NULL CHECK (side IN ('long', 'short')),
                qty              NUMERIC(18,6) NOT NULL,
                avg_cost         NUMERIC(18,6) NOT NULL,
                opened_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
                closed_at        TIMESTAMPTZ,
                \(lastFill)
                asset_class      TEXT          NOT NULL DEFAULT 'us_equity'
                                 CHECK (asset_class IN ('us_equity', 'option')),
                wash_sale_lot_id BIGINT        REFERENCES wash_sale_lots(id) ON DELETE SET NULL
            )
            """
    }

    static let openIndex = "CREATE INDEX pp_user_open   ON paper_positions(user_id) WHERE closed_at IS NULL"
    static let symbolIndex = "CREATE INDEX pp_user_symbol ON paper_positions(user_id, symbol)"

    /// SQLite cannot add a foreign key to an existing table: rebuild it with or without the key.
    static func sqliteRebuild(lastFillForeignKey: Bool) throws(StorageError) -> [String] {
        [
            try SQLiteDDLTranslator.translate(createTable(named: "paper_positions_rebuilt", lastFillForeignKey: lastFillForeignKey)),
            "INSERT INTO paper_positions_rebuilt SELECT * FROM paper_positions",
            "DROP TABLE paper_positions",
            "ALTER TABLE paper_positions_rebuilt RENAME TO paper_positions",
            openIndex,
            symbolIndex,
        ]
    }
}
