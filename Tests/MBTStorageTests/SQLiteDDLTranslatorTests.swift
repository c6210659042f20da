import Testing

@testable import MBTStorage

@Suite("PostgreSQL → SQLite schema translation")
struct SQLiteDDLTranslatorTests {
    @Test func mapsTypesToExactSQLiteStorage() throws {
        let sqlite = try SQLiteDDLTranslator.translate(
            """
            CREATE TABLE t (
                id BIGSERIAL PRIMARY KEY,
                price NUMERIC(18,6) NOT NULL DEFAULT 0,
                at TIMESTAMPTZ NOT NULL DEFAULT now(),
                doc JSONB,
                flag BOOLEAN NOT NULL DEFAULT FALSE
            )
            """)
        #expect(sqlite.contains("id INTEGER PRIMARY KEY AUTOINCREMENT"))
        #expect(sqlite.contains("price INTEGER NOT NULL DEFAULT 0"))
        #expect(sqlite.contains("at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))"))
        #expect(sqlite.contains("doc TEXT"))
        #expect(sqlite.contains("flag INTEGER NOT NULL DEFAULT FALSE"))
        #expect(!sqlite.contains("NUMERIC"))
    }

    @Test(arguments: [
        "-- POSTGRES-ONLY\nCREATE INDEX x ON t USING gin (doc)",
        "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b(id)",
        "CREATE TABLE t (price NUMERIC(18,6) NOT NULL DEFAULT 100000)",
        "CREATE TABLE t (price NUMERIC(18,6) NOT NULL DEFAULT 0.5)",
        "SELECT now()::date",
        "INSERT INTO t (at) VALUES (now())",
    ])
    func refusesWhatItCannotTranslateFaithfully(statement: String) {
        #expect(throws: StorageError.self) { try SQLiteDDLTranslator.translate(statement) }
    }

    @Test func everyMigrationStatementHasASQLiteForm() throws {
        for migration in Migrations.all {
            for statement in migration.up + migration.down {
                #expect(throws: Never.self) { try statement.sql(for: .sqlite) }
                if statement.sqliteForm != nil {
                    #expect(statement.postgres.hasPrefix(SQLiteDDLTranslator.postgresOnlySentinel))
                }
            }
        }
    }

    @Test func migrationsAreNumberedInOrderWithoutGaps() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
        #expect(Set(Migrations.all.map(\.name)).count == Migrations.all.count)
    }
}
