import Foundation
import HTTPTypes

/// Alpaca's rate limit (docs/alpaca-api.md, "Rate limit"): at most `limit` requests per minute per
/// key, counted in fixed windows of wall-clock minutes (never the simulated market's clock). Each
/// answer carries `X-Ratelimit-Limit`, `X-Ratelimit-Remaining` and `X-Ratelimit-Reset` (the epoch
/// second the window ends); a request over the limit is answered 429. Counts are per process.
actor AlpacaRateLimiter {
    let limit: Int
    private var windowStart: Int64 = 0
    private var counts: [String: Int] = [:]

    init(limit: Int) {
        self.limit = limit
    }

    struct Decision: Sendable {
        let allowed: Bool
        let headers: HTTPFields
    }

    static let limitHeader = HTTPField.Name("X-Ratelimit-Limit")!
    static let remainingHeader = HTTPField.Name("X-Ratelimit-Remaining")!
    static let resetHeader = HTTPField.Name("X-Ratelimit-Reset")!

    /// Counts one request of `key` at `now`.
    func take(_ key: String, now: Date = Date()) -> Decision {
        let second = Int64(now.timeIntervalSince1970.rounded(.down))
        let window = second - second % 60
        if window != windowStart {
            windowStart = window
            counts.removeAll(keepingCapacity: true)
        }
        let used = (counts[key] ?? 0) + 1
        counts[key] = used
        let headers: HTTPFields = [
            Self.limitHeader: "\(limit)", Self.remainingHeader: "\(max(limit - used, 0))", Self.resetHeader: "\(window + 60)",
        ]
        return Decision(allowed: used <= limit, headers: headers)
    }
}
