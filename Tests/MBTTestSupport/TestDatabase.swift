import Foundation
import Logging
import MBTStorage
import SQLKit

/// Throwaway databases for tests: a SQLite file by default, or a fresh database on the PostgreSQL
/// server named by `MBT_TEST_DATABASE_URL` (which must be on this machine).
public enum TestDatabase {
    public static let logger: Logger = {
        var logger = Logger(label: "mbt.test")
        logger.logLevel = .critical
        return logger
    }()

    /// The engine this test run targets.
    public static var dialect: DatabaseDialect { adminURL == nil ? .sqlite : .postgres }

    /// Creates an empty database (migrated to the latest version unless `migrated` is false), runs
    /// `body` with it and its URL, and drops it.
    public static func withFresh<T: Sendable>(
        migrated: Bool = true,
        _ body: (any DatabaseClient, DatabaseURL) async throws -> T
    ) async throws -> T {
        let url = try await create()
        do {
            let result = try await withDatabase(url, logger: logger) { database in
                if migrated { try await MigrationRunner(database: database).up() }
                return try await body(database, url)
            }
            try await drop(url)
            return result
        } catch {
            try? await drop(url)
            throw error
        }
    }

    /// Like ``withFresh(migrated:_:)`` for bodies that need only the client.
    public static func withFresh<T: Sendable>(
        migrated: Bool = true,
        _ body: (any DatabaseClient) async throws -> T
    ) async throws -> T {
        try await withFresh(migrated: migrated) { database, _ in try await body(database) }
    }

    /// A new empty database's URL.
    public static func create() async throws -> DatabaseURL {
        let name = "mbt_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        guard let admin = adminURL, case .postgres(var location) = admin else {
            return .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path)
        }
        try await withDatabase(admin, logger: logger) { database in
            try await database.withConnection { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
        }
        location.database = name
        return .postgres(location)
    }

    public static func drop(_ url: DatabaseURL) async throws {
        switch url {
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .postgres(let location):
            guard let admin = adminURL else { return }
            try await withDatabase(admin, logger: logger) { database in
                try await database.withConnection {
                    try await $0.raw("DROP DATABASE IF EXISTS \(ident: location.database) WITH (FORCE)").run()
                }
            }
        }
    }

    /// Drops every connection to the test database at `url` from the server's side, as a
    /// PostgreSQL restart or a network cut would; returns how many were ended. SQLite: 0.
    @discardableResult
    public static func terminateConnections(_ url: DatabaseURL) async throws -> Int {
        guard let admin = adminURL, case .postgres(let location) = url else { return 0 }
        return try await withDatabase(admin, logger: logger) { database in
            try await database.withConnection { db in
                try await db.raw(
                    "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = \(bind: location.database) AND pid <> pg_backend_pid()"
                ).all().count
            }
        }
    }

    /// The maintenance database of the test server; only loopback servers are accepted, so a
    /// mistaken environment can never drop databases elsewhere.
    static let adminURL: DatabaseURL? = {
        guard let text = ProcessInfo.processInfo.environment["MBT_TEST_DATABASE_URL"], !text.isEmpty else { return nil }
        guard let url = try? DatabaseURL(parsing: text), case .postgres(let location) = url else {
            fatalError("MBT_TEST_DATABASE_URL must be a postgres:// URL")
        }
        precondition(["127.0.0.1", "localhost", "::1"].contains(location.host), "test PostgreSQL must be on loopback")
        return url
    }()
}
