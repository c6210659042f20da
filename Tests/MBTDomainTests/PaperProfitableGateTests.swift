import MBTDomain
import Testing

@Suite("The paper-profitable gate")
struct PaperProfitableGateTests {
    @Test(
        arguments: [
            (20, "100000.01", 10, true),
            (19, "100000.01", 10, false),
            (20, "100000", 10, false),
            (20, "99999", 10, false),
            (20, "100000.01", 9, false),
            (250, "150000", 400, true),
        ] as [(Int, Decimal6, Int, Bool)])
    func standardThresholds(days: Int, equity: Decimal6, trades: Int, passes: Bool) {
        #expect(
            PaperProfitableGate.standard.passes(tradingDays: days, equity: equity, startingBalance: 100_000, closedTrades: trades) == passes
        )
    }

    @Test func thresholdsAreSettings() {
        let gate = PaperProfitableGate(minimumTradingDays: 1, minimumClosedTrades: 0)
        #expect(gate.passes(tradingDays: 1, equity: 2, startingBalance: 1, closedTrades: 0))
        #expect(!gate.passes(tradingDays: 0, equity: 2, startingBalance: 1, closedTrades: 0))
    }
}
