import Foundation

/// Why an order's time in force ran out.
public enum ExpiryReason: Sendable, Hashable, CustomStringConvertible {
    /// A DAY order at its session's close (13:00 on early-close days).
    case sessionClosed(session: MarketDate, at: Date)
    /// A GTC order at the end of its lifetime.
    case lifetimeEnded(days: Int, at: Date)

    /// The instant the order expires (or expired).
    public var at: Date {
        switch self {
        case .sessionClosed(_, let at), .lifetimeEnded(_, let at): at
        }
    }

    /// Stable code, for the stored reason and the API.
    public var code: String {
        switch self {
        case .sessionClosed: "day_order_session_closed"
        case .lifetimeEnded: "gtc_lifetime_ended"
        }
    }

    public var description: String {
        switch self {
        case .sessionClosed(let session, let at):
            "day order expired at the close of the \(session) session (\(at.formatted(.iso8601)))"
        case .lifetimeEnded(let days, let at):
            "good-till-canceled order expired after \(days) days (\(at.formatted(.iso8601)))"
        }
    }
}
