import MBTDomain
import Testing

/// A stock split in the tax engine (Pub 550, "Stock splits"): not a sale; each lot keeps its total
/// basis and acquisition date, and only its quantity changes.
@Suite("Stock splits in the tax engine")
struct StockSplitTests {
    @Test func aSplitRescalesEveryLotKeepingBasisAndDates() throws {
        var trades = TaxTrades()
        trades.add("2024-01-10", .buy, "NVDA", 10, 100)
        trades.add("2025-06-02", .buy, "NVDA", 20, 110)
        trades.add("2025-06-10", .split, "NVDA", 90, 0)  // 3-for-1
        trades.add("2025-07-01", .sell, "NVDA", 45, 40)
        let state = try trades.run()
        let sold = state.closed("NVDA")
        // FIFO: the 30 shares of the first lot (basis 1,000, long term), then 15 of the second's 60
        // (basis 2,200 × 15/60 = 550, short term).
        #expect(sold.map(\.quantity) == [30, 15])
        #expect(sold.map(\.basis) == [1_000, 550])
        #expect(sold.map(\.proceeds) == [1_200, 600])
        #expect(sold.map(\.acquired) == [taxDay("2024-01-10"), taxDay("2025-06-02")])
        #expect(sold.map(\.term) == [.long, .short])
        let open = state.openLots(symbol: "NVDA")
        #expect(open.map(\.quantity) == [45] && open.map(\.basis) == [1_650])
    }

    @Test func aReverseSplitOfUnevenLotsAddsUpToThePositionExactly() throws {
        var trades = TaxTrades()
        for day in 1...7 { trades.add("2025-03-0\(day)", .buy, "AMD", 1, 100) }
        trades.add("2025-03-10", .split, "AMD", "0.7", 0)  // 1-for-10
        let lots = try trades.run().openLots(symbol: "AMD")
        #expect(lots.reduce(Decimal6.zero) { $0 + $1.quantity } == "0.7")
        #expect(lots.allSatisfy { $0.quantity == "0.1" && $0.basis == 100 })
    }

    @Test func aShortPositionSplitsToo() throws {
        var trades = TaxTrades()
        trades.add("2025-03-03", .sellShort, "TSLA", 10, 300)
        trades.add("2025-03-10", .split, "TSLA", 20, 0)
        trades.add("2025-03-11", .buyToCover, "TSLA", 20, 140)
        let sold = try trades.run().closed("TSLA")
        #expect(sold.map(\.quantity) == [20] && sold.first?.gain == 200)  // 3,000 in, 2,800 out
    }

    @Test func optionsAndEmptyPositionsDoNotSplit() {
        var option = TaxTrades()
        option.add("2025-03-03", .buy, "AAPL260320C00150000", 1, 2)
        option.add("2025-03-10", .split, "AAPL260320C00150000", 2, 0)
        #expect(throws: TaxEngineError.notAStock(event: 2, symbol: "AAPL260320C00150000")) { try option.run() }
        var empty = TaxTrades()
        empty.add("2025-03-10", .split, "AAPL", 2, 0)
        #expect(throws: TaxEngineError.noOpenLots(event: 1, symbol: "AAPL")) { try empty.run() }
    }
}
