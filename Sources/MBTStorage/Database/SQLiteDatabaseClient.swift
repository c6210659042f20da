import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLite through one connection that every caller takes turns on.
///
/// SQLite has a single writer; one connection with a FIFO lock gives the same per-account
/// serialisation that row locks give on PostgreSQL, with no `SQLITE_BUSY` retries. Each use of
/// the connection runs on the connection's own thread (``ThreadPoolTaskExecutor``), so its
/// statements cost no thread hops.
public final class SQLiteDatabaseClient: DatabaseClient {
    public let dialect = DatabaseDialect.sqlite
    private let connection: SQLiteConnection
    private let threadPool: NIOThreadPool
    private let lock = AsyncSerialLock()
    private let executor: ThreadPoolTaskExecutor

    private init(connection: SQLiteConnection, threadPool: NIOThreadPool) {
        self.connection = connection
        self.threadPool = threadPool
        self.executor = ThreadPoolTaskExecutor(pool: threadPool)
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteDatabaseClient {
        let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
        // A thread of its own: SQLite blocks its thread while it waits for another connection's
        // lock (busy_timeout), and on a shared pool that wait could starve the lock's holder.
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: storage, threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            try? await threadPool.shutdownGracefully()
            throw StorageError.unreachable("cannot open SQLite file '\(path)': \(error)")
        }
        let database = connection.sql()
        // Foreign keys are off by default in SQLite and the setting is per connection.
        try await database.raw("PRAGMA foreign_keys = ON").run()
        try await database.raw("PRAGMA busy_timeout = 5000").run()
        if path != ":memory:" {
            try await database.raw("PRAGMA journal_mode = WAL").run()
            try await database.raw("PRAGMA synchronous = NORMAL").run()
        }
        return SQLiteDatabaseClient(connection: connection, threadPool: threadPool)
    }

    public func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) {
            try await lock.withLock {
                try await body(connection.sql())
            }
        }
    }

    public func withTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) {
            try await transaction(body)
        }
    }

    private func transaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await lock.withLock {
            let database = connection.sql()
            try await database.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func run() async {
        // Nothing to serve in the background: wait for cancellation, then close the file.
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        // Closing from the cancelled task would be refused by the thread pool; close outside it.
        let (connection, threadPool) = (self.connection, self.threadPool)
        await Task {
            try? await connection.close()
            try? await threadPool.shutdownGracefully()
        }.value
    }
}
