/// The paper-profitable gate behind the "Ready to go live?" card (docs/web-app.md): an account has
/// traded on paper long enough, and well enough, to be offered live trading. By default at least
/// 20 trading days of end-of-day snapshots, equity above the starting balance, and at least 10
/// closed trades (closing fills).
public struct PaperProfitableGate: Sendable, Hashable {
    public var minimumTradingDays: Int
    public var minimumClosedTrades: Int

    public init(minimumTradingDays: Int = 20, minimumClosedTrades: Int = 10) {
        self.minimumTradingDays = minimumTradingDays
        self.minimumClosedTrades = minimumClosedTrades
    }

    public static let standard = PaperProfitableGate()

    /// Whether an account with these figures passes.
    public func passes(tradingDays: Int, equity: Decimal6, startingBalance: Decimal6, closedTrades: Int) -> Bool {
        tradingDays >= minimumTradingDays && equity > startingBalance && closedTrades >= minimumClosedTrades
    }
}
