import Foundation

/// Keeps the client under Alpaca's rate limit: every response reports how many calls remain until
/// an epoch-second reset; when fewer than `threshold` remain, calls wait for the reset.
///
/// The reset is wall-clock time on Alpaca's side, so this reads the system clock rather than the
/// injected market clock (which may be simulated).
actor RateLimitPacer {
    private let threshold: Int
    private let maximumWait: TimeInterval
    private var pausedUntil: Date?

    init(threshold: Int, maximumWait: TimeInterval) {
        self.threshold = threshold
        self.maximumWait = maximumWait
    }

    /// Records the rate-limit headers of a response.
    func observe(remaining: Int?, reset: Date?) {
        guard let remaining, remaining < threshold, let reset else { return }
        let bounded = min(reset, Date().addingTimeInterval(maximumWait))
        if pausedUntil.map({ bounded > $0 }) ?? true { pausedUntil = bounded }
    }

    /// Waits until the reset when the budget is nearly spent.
    func waitForBudget() async throws {
        guard let until = pausedUntil else { return }
        let wait = until.timeIntervalSinceNow
        if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000) + 1)) }
        if let current = pausedUntil, current <= Date() { pausedUntil = nil }
    }

    /// When the next call may go out, if it must wait.
    var resumesAt: Date? { pausedUntil }
}
