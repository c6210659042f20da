import Foundation
import HTTPTypes
import Logging
import MBTStorage

/// The per-key request limit of the Alpaca-compatible API (docs/alpaca-api.md, "Rate limit") and of
/// the MBT API's bearer tokens (docs/operations.md, "Limits"): at most `limit` requests per minute
/// per key, counted in fixed windows of wall-clock minutes (never the simulated market's clock). Each
/// answer carries `X-Ratelimit-Limit`, `X-Ratelimit-Remaining` and `X-Ratelimit-Reset` (the epoch
/// second the window ends); a request over the limit is answered 429.
///
/// On PostgreSQL, where several `serve` processes may share the database, the counts live there
/// (``RateLimitStore``), so the limit holds across processes; SQLite serves one process, which
/// counts in memory. When the database does not answer a count in time the process counts that
/// request in memory instead, so a slow database never turns into 429s of its own.
struct RateLimiter: Sendable {
    let limit: Int
    private let shared: RateLimitStore?
    private let local = LocalCounts()
    private let logger: Logger

    init(limit: Int, database: (any DatabaseClient)? = nil, logger: Logger = Logger(label: "mbt.alpaca.ratelimit")) {
        self.limit = limit
        self.shared = database.flatMap { $0.dialect == .postgres ? RateLimitStore(database: $0) : nil }
        self.logger = logger
    }

    struct Decision: Sendable {
        let allowed: Bool
        let headers: HTTPFields
        /// Seconds until the window ends, for `Retry-After`.
        let retryAfter: Int
    }

    static let limitHeader = HTTPField.Name("X-Ratelimit-Limit")!
    static let remainingHeader = HTTPField.Name("X-Ratelimit-Remaining")!
    static let resetHeader = HTTPField.Name("X-Ratelimit-Reset")!

    /// Counts one request of `key` at `now`.
    func take(_ key: String, now: Date = Date()) async -> Decision {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let window = second - second % 60
        let used = await count(key, window: window)
        let headers: HTTPFields = [
            Self.limitHeader: "\(limit)", Self.remainingHeader: "\(max(limit - used, 0))", Self.resetHeader: "\(window + 60)",
        ]
        return Decision(allowed: used <= limit, headers: headers, retryAfter: Int(window + 60 - second))
    }

    private func count(_ key: String, window: Int64) async -> Int {
        guard let shared else { return await local.increment(key, window: window) }
        if await local.startsWindow(window) {
            // The first request a process sees in a minute clears the minutes before the last one.
            do { try await shared.purge(before: window - 60) } catch { logger.warning("rate-limit purge failed: \(error)") }
        }
        do {
            return try await shared.increment(key, minute: window)
        } catch {
            logger.warning("rate-limit count fell back to this process: \(error)")
            return await local.increment(key, window: window)
        }
    }
}

/// One process's counts for the current minute.
private actor LocalCounts {
    private var window: Int64 = 0
    private var counts: [String: Int] = [:]
    private var purgedWindow: Int64 = 0

    func increment(_ key: String, window: Int64) -> Int {
        if window != self.window {
            self.window = window
            counts.removeAll(keepingCapacity: true)
        }
        let used = (counts[key] ?? 0) + 1
        counts[key] = used
        return used
    }

    /// Whether `window` is a minute this process has not seen before (once per minute).
    func startsWindow(_ window: Int64) -> Bool {
        guard window > purgedWindow else { return false }
        purgedWindow = window
        return true
    }
}
