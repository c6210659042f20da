import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through a PostgresNIO connection pool.
public final class PostgresDatabaseClient: DatabaseClient {
    public let dialect = DatabaseDialect.postgres
    private let client: PostgresClient
    private let logger: Logger

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Builds the pool after checking, with one direct connection, that the server answers.
    static func connect(_ location: DatabaseURL.PostgresLocation, logger: Logger) async throws -> PostgresDatabaseClient {
        var configuration = PostgresClient.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: tlsMode(location.tls)
        )
        configuration.options.connectTimeout = .seconds(5)
        // The pool stays well under PostgreSQL's default max_connections (100) so that several
        // `serve` processes and the CLI can share one server.
        configuration.options.maximumConnections = 20
        // Every statement is bounded on the server too, and so is a transaction left idle by a
        // client that went away (docs/operations.md, "Limits"). A commit waits for its WAL to be
        // written whatever the server's default, so an acknowledged order survives a crash of the
        // database server (docs/operations.md, "Durability").
        configuration.options.additionalStartupParameters = [
            ("statement_timeout", "\(statementLimitSeconds)s"), ("idle_in_transaction_session_timeout", "\(statementLimitSeconds)s"),
            ("synchronous_commit", "on"),
        ]
        try await checkReachable(location, logger: logger)
        // The pool warns when a lease is requested a moment before `run()` has begun, which
        // `withRunning` does by design (the lease simply waits); only its errors are worth a line.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        return PostgresDatabaseClient(client: PostgresClient(configuration: configuration, backgroundLogger: poolLogger), logger: logger)
    }

    /// How long a caller waits for a pooled connection before it is told the database is
    /// unavailable (docs/operations.md).
    public static let leaseLimit: Duration = .seconds(5)
    /// The longest one statement may run, and a transaction sit idle, before the server ends it.
    public static let statementLimitSeconds = 60

    public func withConnection<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await BoundedLease.with(client, within: Self.leaseLimit) { connection in
            try await body(PostgresSQLDatabase(connection))
        }
    }

    public func withTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await BoundedLease.with(client, within: Self.leaseLimit) { connection in
                try await connection.withTransaction(logger: logger) { connection in try await body(PostgresSQLDatabase(connection)) }
            }
        } catch let error as PostgresTransactionError {
            // Callers see what their own code threw, as on SQLite, once the rollback succeeded.
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }

    public func run() async {
        await client.run()
    }

    private static func tlsMode(_ mode: DatabaseURL.PostgresLocation.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    private static func checkReachable(_ location: DatabaseURL.PostgresLocation, logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: location.tls == .disable
                ? .disable
                : (location.tls == .require
                    ? .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                    : .prefer(try NIOSSLContext(configuration: .makeClientConfiguration())))
        )
        configuration.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(),
                configuration: configuration,
                id: 0,
                logger: logger
            )
            try await connection.close()
        } catch let error as PSQLError {
            throw StorageError.unreachable("\(location.host):\(location.port)/\(location.database): \(reason(error))")
        } catch {
            throw StorageError.unreachable("\(location.host):\(location.port)/\(location.database): \(error)")
        }
    }

    /// PSQLError hides details from `description`; pick out the parts that say what went wrong.
    private static func reason(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            return message
        }
        if let underlying = error.underlying {
            return "\(underlying)"
        }
        return "\(error.code)"
    }
}
