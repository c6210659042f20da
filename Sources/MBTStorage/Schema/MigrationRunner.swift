import Foundation
import SQLKit

/// A migration recorded as applied in the database.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let appliedAt: Date
}

/// Where the database's schema stands against the migrations this build knows.
public struct MigrationStatus: Sendable {
    public let applied: [AppliedMigration]
    public let pending: [Migration]
    public let known: [Migration]

    /// The highest applied version, 0 for an empty database.
    public var currentVersion: Int { applied.map(\.version).max() ?? 0 }

    /// Applied versions this build has never heard of: a newer build migrated the database.
    public var unknown: [AppliedMigration] {
        let versions = Set(known.map(\.version))
        return applied.filter { !versions.contains($0.version) }
    }

    /// Throws unless the database holds only migrations this build knows, under the same names.
    public func requireKnown() throws(StorageError) {
        if let newest = unknown.map(\.version).max() {
            throw .schemaNewerThanBinary(databaseVersion: newest, knownVersion: known.last?.version ?? 0)
        }
        for record in applied {
            if let migration = known.first(where: { $0.version == record.version }), migration.name != record.name {
                throw .migrationMismatch(version: record.version, recorded: record.name, expected: migration.name)
            }
        }
    }

    /// Throws unless the schema is exactly at this build's latest version.
    public func requireCurrent() throws(StorageError) {
        try requireKnown()
        if !pending.isEmpty {
            throw .migrationsPending(current: currentVersion, latest: known.last?.version ?? 0)
        }
    }
}

/// Applies and reverts ``Migration``s, one transaction each, recording them in
/// `mbt_schema_migrations`. On PostgreSQL a transaction-scoped advisory lock makes concurrent
/// runners (several `serve` processes starting at once) take turns; each re-reads what is applied
/// after taking it.
public struct MigrationRunner: Sendable {
    public let database: any DatabaseClient
    public let migrations: [Migration]

    static let table = "mbt_schema_migrations"
    /// Advisory-lock key for schema changes ("MBT" in ASCII).
    private static let lockKey = 0x4D_42_54

    public init(database: any DatabaseClient, migrations: [Migration] = Migrations.all) {
        self.database = database
        self.migrations = migrations
    }

    public func status() async throws -> MigrationStatus {
        let applied = try await database.withConnection { db in
            try await tableExists(db) ? try await readApplied(db) : []
        }
        return makeStatus(applied)
    }

    /// Applies pending migrations up to `target` (default: all). Returns those applied.
    @discardableResult
    public func up(to target: Int? = nil) async throws -> [Migration] {
        var applied: [Migration] = []
        while let migration = try await takingTurns({ try await applyNext(upTo: target ?? Int.max) }) {
            applied.append(migration)
        }
        return applied
    }

    /// Reverts applied migrations above `target`, newest first. Returns those reverted.
    @discardableResult
    public func down(to target: Int) async throws -> [Migration] {
        var reverted: [Migration] = []
        while let migration = try await takingTurns({ try await revertLatest(above: target) }) {
            reverted.append(migration)
        }
        return reverted
    }

    /// Runs one migration's transaction, again if SQLite gave up waiting for the lock: runners
    /// take turns per migration, and one can lose every turn for longer than the busy timeout
    /// while others apply theirs. It tries for a minute at most, as PostgreSQL's advisory lock
    /// would simply wait.
    private func takingTurns<T: Sendable>(_ step: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await step()
            } catch let error where SQLErrorKind(error) == .busy && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private func applyNext(upTo target: Int) async throws -> Migration? {
        try await database.withTransaction { db in
            try await lockAndPrepare(db)
            let status = makeStatus(try await readApplied(db))
            try status.requireKnown()
            guard let next = status.pending.first, next.version <= target else { return nil }
            for statement in next.up {
                for sql in try statement.sql(for: database.dialect) {
                    try await db.raw(SQLQueryString(sql)).run()
                }
            }
            try await db.insert(into: Self.table)
                .columns("version", "name")
                .values(SQLBind(next.version), SQLBind(next.name))
                .run()
            return next
        }
    }

    private func revertLatest(above target: Int) async throws -> Migration? {
        try await database.withTransaction { db in
            try await lockAndPrepare(db)
            let status = makeStatus(try await readApplied(db))
            try status.requireKnown()
            guard let latest = status.applied.max(by: { $0.version < $1.version }), latest.version > target,
                let migration = migrations.first(where: { $0.version == latest.version })
            else { return nil }
            for statement in migration.down {
                for sql in try statement.sql(for: database.dialect) {
                    try await db.raw(SQLQueryString(sql)).run()
                }
            }
            try await db.delete(from: Self.table).where("version", .equal, SQLBind(migration.version)).run()
            return migration
        }
    }

    private func makeStatus(_ applied: [AppliedMigration]) -> MigrationStatus {
        let appliedVersions = Set(applied.map(\.version))
        return MigrationStatus(
            applied: applied.sorted { $0.version < $1.version },
            pending: migrations.filter { !appliedVersions.contains($0.version) },
            known: migrations
        )
    }

    private func lockAndPrepare(_ db: any SQLDatabase) async throws {
        if database.dialect == .postgres {
            // A migration may build an index over a large table: no statement limit for it
            // (PostgresDatabaseClient's limit is for requests and jobs).
            try await db.raw("SET LOCAL statement_timeout = 0").run()
            try await db.raw("SELECT pg_advisory_xact_lock(\(literal: Self.lockKey))").run()
        }
        let create = SchemaStatement.portable(
            """
            CREATE TABLE IF NOT EXISTS \(Self.table) (
                version     INTEGER     PRIMARY KEY,
                name        TEXT        NOT NULL,
                applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """)
        for sql in try create.sql(for: database.dialect) {
            try await db.raw(SQLQueryString(sql)).run()
        }
    }

    private func tableExists(_ db: any SQLDatabase) async throws -> Bool {
        let query: SQLQueryString =
            switch database.dialect {
            case .postgres: "SELECT 1 AS present FROM pg_tables WHERE schemaname = current_schema() AND tablename = \(bind: Self.table)"
            case .sqlite: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = \(bind: Self.table)"
            }
        return try await db.raw(query).first() != nil
    }

    private func readApplied(_ db: any SQLDatabase) async throws -> [AppliedMigration] {
        try await db.select().columns("version", "name", "applied_at").from(Self.table).orderBy("version").all().map { row in
            AppliedMigration(
                version: try row.decode(column: "version", as: Int.self),
                name: try row.decode(column: "name", as: String.self),
                appliedAt: try row.timestamp("applied_at")
            )
        }
    }
}
