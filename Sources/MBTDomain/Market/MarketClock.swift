import Foundation

/// The one source of "now" for the engine, so live, replayed and simulated runs share a code path
/// and tests can pick any instant.
public protocol MarketClock: Sendable {
    func now() -> Date
}

/// A clock stopped at one instant; for tests and for batch jobs run for a given date.
public struct FixedClock: MarketClock {
    public let instant: Date

    public init(_ instant: Date) {
        self.instant = instant
    }

    public func now() -> Date { instant }
}
