import ArgumentParser
import Foundation
import Logging
import MBTDomain
import MBTMarketData
import MBTStorage

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL (default: $DATABASE_URL, else sqlite://mbt.sqlite).")
    var databaseURL: String?

    /// The URL to use: the option, else `DATABASE_URL`, else the embedded SQLite default.
    func resolve() throws -> DatabaseURL {
        let text = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"]
        guard let text, !text.isEmpty else { return .embeddedDefault }
        do {
            return try DatabaseURL(parsing: text)
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// Logging and the database for a short-lived command.
enum CommandEnvironment {
    static func logger(label: String = "mbt", level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? level
        return logger
    }

    /// Opens the database, runs `body`, and turns storage failures into one-line command failures.
    static func withDatabase<T: Sendable>(
        _ url: DatabaseURL,
        logger: Logger,
        _ body: (any DatabaseClient) async throws -> T
    ) async throws -> T {
        do {
            return try await MBTStorage.withDatabase(url, logger: logger, body)
        } catch let error as StorageError {
            throw CommandFailure(error)
        }
    }

    /// Like ``withDatabase(_:logger:_:)``, after checking the schema is exactly current. A SQLite
    /// file that does not exist is refused rather than created: these commands read or change an
    /// existing ledger, and an empty new file would only hide a mistyped path.
    static func withCurrentSchema<T: Sendable>(
        _ url: DatabaseURL,
        logger: Logger,
        _ body: (any DatabaseClient) async throws -> T
    ) async throws -> T {
        if case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("no database at \(path): set DATABASE_URL, or create it with mbt migrate up (mbt serve does too)")
        }
        return try await withDatabase(url, logger: logger) { database in
            try await MigrationRunner(database: database).status().requireCurrent()
            return try await body(database)
        }
    }

    static let clock: any MarketClock = SystemClock()
}
