import Foundation

/// How the bar loop runs (docs/fill-rules.md).
public struct BarLoopSettings: Sendable {
    /// Market seconds to wait after a minute ends before its bar counts as published; a minute
    /// walked without a bar is not walked again.
    public var barSettleDelay: TimeInterval
    /// How long a claim on a symbol lasts without renewal, in lease-clock seconds; an engine that
    /// dies loses its symbols to the others after this. A live engine renews its claims every
    /// third of it, also in the middle of a long catch-up, and another engine takes lapsed
    /// symbols over within a second of their lapsing (docs/operations.md).
    public var leaseDuration: TimeInterval
    /// Bars caught up after downtime above which the UI shows "some fills may have been delayed".
    public var delayedFillsBannerBars: Int
    /// Accounts whose decisions of one minute are written in one transaction.
    public var accountsPerBatch: Int
    /// Transactions written concurrently (PostgreSQL; SQLite has one writer anyway).
    public var concurrentBatches: Int

    public init(
        barSettleDelay: TimeInterval = 10, leaseDuration: TimeInterval = 10, delayedFillsBannerBars: Int = 5,
        accountsPerBatch: Int = 100, concurrentBatches: Int = 4
    ) {
        self.barSettleDelay = barSettleDelay
        self.leaseDuration = leaseDuration
        self.delayedFillsBannerBars = delayedFillsBannerBars
        self.accountsPerBatch = max(1, accountsPerBatch)
        self.concurrentBatches = max(1, concurrentBatches)
    }

    public static let standard = BarLoopSettings()
}
