import Crypto
import Foundation
import SQLKit

/// Request counters shared by every server process on one database (docs/alpaca-api.md, "Rate
/// limit"): one row per key and wall-clock minute in `alpaca_rate_limits`, incremented in one
/// upsert so two processes never lose a count. A key is stored as its SHA-256, never as is, and
/// rows of past minutes are deleted as minutes pass.
public struct RateLimitStore: Sendable {
    public let database: any DatabaseClient
    /// How long one count may take before the caller gives up on it.
    static let deadline: Duration = .seconds(2)

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// Counts one request of `key` in the minute starting at `minute` (epoch seconds); returns the
    /// minute's count so far, this request included.
    public func increment(_ key: String, minute: Int64) async throws -> Int {
        let hash = Self.hash(key)
        return try await database.withConnection(within: Self.deadline) { db in
            let row = try await db.raw(
                """
                INSERT INTO alpaca_rate_limits (key_hash, minute, requests) VALUES (\(bind: hash), \(bind: minute), 1)
                ON CONFLICT (key_hash, minute) DO UPDATE SET requests = alpaca_rate_limits.requests + 1
                RETURNING requests
                """
            ).first()
            guard let row else { throw StorageError.notFound("the rate-limit count of a key") }
            return try row.decode(column: "requests", as: Int.self)
        }
    }

    /// Deletes the counts of minutes before `minute`.
    public func purge(before minute: Int64) async throws {
        try await database.withConnection(within: Self.deadline) { db in
            try await db.delete(from: "alpaca_rate_limits").where("minute", .lessThan, SQLBind(minute)).run()
        }
    }

    static func hash(_ key: String) -> String {
        hexSHA256(key)
    }
}
