import Logging
import SQLKit

/// Which SQL engine a ``DatabaseClient`` talks to.
public enum DatabaseDialect: String, Sendable {
    case postgres
    case sqlite
}

/// A pool of connections to one database, PostgreSQL or SQLite, used through SQLKit so that every
/// query is written once.
///
/// The client must be running (``run()``, a ServiceLifecycle-style service body) while it is used;
/// ``withDatabase(_:logger:_:)`` does that for short-lived commands and tests.
public protocol DatabaseClient: Sendable {
    var dialect: DatabaseDialect { get }

    /// Runs `body` with one connection, outside any explicit transaction.
    func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` in one transaction on one connection: committed when `body` returns, rolled back
    /// when it throws. On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`).
    func withTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T

    /// Keeps the connections served until the task is cancelled, then closes them.
    func run() async
}

/// Opens the database `url` names and checks it can be reached.
public func openDatabase(_ url: DatabaseURL, logger: Logger) async throws -> any DatabaseClient {
    switch url {
    case .postgres(let location):
        try await PostgresDatabaseClient.connect(location, logger: logger)
    case .sqlite(let path):
        try await SQLiteDatabaseClient.open(path: path, logger: logger)
    }
}

/// Opens the database, runs `body` while the client is served, and closes it again.
public func withDatabase<T: Sendable>(
    _ url: DatabaseURL,
    logger: Logger,
    _ body: (any DatabaseClient) async throws -> T
) async throws -> T {
    let client = try await openDatabase(url, logger: logger)
    return try await withRunning(client, body)
}

/// Runs `body` while `client` is served, and closes it afterwards.
public func withRunning<T: Sendable>(
    _ client: any DatabaseClient,
    _ body: (any DatabaseClient) async throws -> T
) async throws -> T {
    let runner = Task { await client.run() }
    defer { runner.cancel() }
    do {
        let result = try await body(client)
        runner.cancel()
        await runner.value
        return result
    } catch {
        runner.cancel()
        await runner.value
        throw error
    }
}
