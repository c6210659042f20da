import Foundation

/// What this process's bar loop is doing, for `GET /api/trading/status` and the logs.
public actor BarLoopMonitor {
    public enum State: String, Sendable, Codable {
        /// Not ticked yet.
        case starting
        /// The last tick walked bars missed while the service was down.
        case caughtUp = "caught_up"
        /// Walking one new minute per tick.
        case live
        /// The last tick failed; the next one retries from the watermarks.
        case failing
    }

    public struct Snapshot: Sendable, Hashable {
        public var state: State
        /// When the last tick finished, by the market clock.
        public var lastTickAt: Date?
        /// The start of the newest minute walked.
        public var lastBarAt: Date?
        /// Symbols this process held in its last tick.
        public var symbols: Int
        /// Bars the last catch-up of this process walked.
        public var barsCaughtUp: Int
        public var lastError: String?
    }

    private var snapshot = Snapshot(state: .starting, symbols: 0, barsCaughtUp: 0)

    public init() {}

    public var current: Snapshot { snapshot }

    func record(_ report: RestingOrderEvaluator.TickReport, at now: Date) {
        snapshot.lastTickAt = now
        snapshot.lastBarAt = report.lastBarAt ?? snapshot.lastBarAt
        snapshot.symbols = report.symbols
        snapshot.lastError = nil
        if report.barsCaughtUp > 0 {
            snapshot.state = .caughtUp
            snapshot.barsCaughtUp = report.barsCaughtUp
        } else if snapshot.state != .caughtUp || report.bars > 0 {
            snapshot.state = .live
        }
    }

    func recordFailure(_ error: any Error, at now: Date) {
        snapshot.lastTickAt = now
        snapshot.state = .failing
        snapshot.lastError = String(describing: error)
    }
}
