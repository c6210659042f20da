import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test func upDownUpLeavesTheSameSchema() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let runner = MigrationRunner(database: database)
            #expect(try await runner.up().count == Migrations.latestVersion)
            let first = try await SchemaSnapshot.take(database)
            #expect(first.tables.isSuperset(of: SchemaSnapshot.expectedTables))

            #expect(try await runner.down(to: 0).count == Migrations.latestVersion)
            #expect(try await SchemaSnapshot.take(database).tables.subtracting(["mbt_schema_migrations"]).isEmpty)

            try await runner.up()
            #expect(try await SchemaSnapshot.take(database) == first)
            #expect(try await runner.status().currentVersion == Migrations.latestVersion)
        }
    }

    @Test func stepsUpAndDownToATargetVersion() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let runner = MigrationRunner(database: database)
            #expect(try await runner.up(to: 5).map(\.version) == [1, 2, 3, 4, 5])
            let status = try await runner.status()
            #expect(status.currentVersion == 5)
            #expect(status.pending.map(\.version) == Array(6...Migrations.latestVersion))
            #expect(throws: StorageError.migrationsPending(current: 5, latest: Migrations.latestVersion)) {
                try status.requireCurrent()
            }
            #expect(try await runner.down(to: 3).map(\.version) == [5, 4])
            #expect(try await runner.up().first?.version == 4)
        }
    }

    @Test func upIsIdempotent() async throws {
        try await TestDatabase.withFresh { database in
            let applied = try await MigrationRunner(database: database).up()
            #expect(applied.isEmpty)
        }
    }

    @Test func refusesADatabaseMigratedByANewerBuild() async throws {
        try await TestDatabase.withFresh { database in
            try await database.withConnection { db in
                try await db.insert(into: "mbt_schema_migrations").columns("version", "name")
                    .values(SQLBind(Migrations.latestVersion + 1), SQLBind("FromTheFuture")).run()
            }
            let runner = MigrationRunner(database: database)
            let expected = StorageError.schemaNewerThanBinary(
                databaseVersion: Migrations.latestVersion + 1, knownVersion: Migrations.latestVersion)
            await #expect(throws: expected) { try await runner.status().requireKnown() }
            await #expect(throws: expected) { try await runner.up() }
            await #expect(throws: expected) { try await runner.down(to: 0) }
        }
    }

    @Test func refusesARecordedMigrationUnderAnotherName() async throws {
        try await TestDatabase.withFresh { database in
            try await database.withConnection { db in
                try await db.update("mbt_schema_migrations").set("name", to: SQLBind("Renamed"))
                    .where("version", .equal, SQLBind(1)).run()
            }
            await #expect(throws: StorageError.migrationMismatch(version: 1, recorded: "Renamed", expected: "CreateUsers")) {
                try await MigrationRunner(database: database).status().requireKnown()
            }
        }
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        try await TestDatabase.withFresh(migrated: false) { _, url in
            let applied = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await withDatabase(url, logger: TestDatabase.logger) { try await MigrationRunner(database: $0).up().count }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(applied == Migrations.latestVersion)
        }
    }

    @Test func lastFillForeignKeyIsAddedInItsOwnStep() async throws {
        try await TestDatabase.withFresh(migrated: false) { database in
            let runner = MigrationRunner(database: database)
            try await runner.up(to: 7)
            #expect(try await SchemaSnapshot.foreignKeys(database, table: "paper_positions").contains("last_fill_id→paper_fills") == false)
            try await runner.up(to: 8)
            #expect(try await SchemaSnapshot.foreignKeys(database, table: "paper_positions").contains("last_fill_id→paper_fills"))
            try await runner.down(to: 7)
            #expect(try await SchemaSnapshot.foreignKeys(database, table: "paper_positions").contains("last_fill_id→paper_fills") == false)
        }
    }
}
