import MBTDomain
import Testing

/// Option premiums at exercise, assignment and expiry (Pub 550 Table 4-1, `tax-rules.md` §5).
@Suite("Tax option premiums")
struct OptionPremiumTests {
    static let call = "AAPL260320C00150000"
    static let put = "AAPL260320P00150000"

    /// Long call exercised: the premium is added to the basis of the shares bought, which are held
    /// from the exercise date (Weir v. Commissioner); the option has no disposition of its own.
    @Test func longCallExercisedAddsPremiumToBasis() throws {
        var trades = TaxTrades()
        trades.add("2025-06-02", .buy, Self.call, 1, "5", fees: "0.65")
        let exercise = trades.add("2026-03-20", .exercise, Self.call, 1, "170", fees: "1")
        let state = try trades.run()
        #expect(state.dispositions.isEmpty)
        let lot = try #require(state.openLots.first)
        #expect(lot.symbol == "AAPL")
        #expect(lot.id == TaxLotID(origin: exercise))
        #expect(lot.quantity == 100)
        #expect(lot.basis == "15501.65")
        #expect(lot.acquired == taxDay("2026-03-20"))
    }

    /// Long put exercised: the premium reduces the proceeds of the shares sold.
    @Test func longPutExercisedReducesProceeds() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "AAPL", 100, "160")
        trades.add("2025-06-02", .buy, Self.put, 1, "4")
        trades.add("2026-03-20", .exercise, Self.put, 1, "140")
        let sale = try #require(try trades.run().closed("AAPL").first)
        #expect(sale.proceeds == "14600")
        #expect(sale.basis == "16000")
        #expect(sale.gain == "-1400")
        #expect(sale.term == .long)
    }

    /// Short call assigned: the premium is added to the proceeds of the shares delivered, whose
    /// holding period decides the term.
    @Test func shortCallAssignedAddsPremiumToProceeds() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "AAPL", 100, "140")
        trades.add("2026-01-05", .sellShort, Self.call, 1, "3")
        trades.add("2026-03-20", .assign, Self.call, 1, 0)
        let state = try trades.run()
        let sale = try #require(state.closed("AAPL").first)
        #expect(sale.proceeds == "15300")
        #expect(sale.gain == "1300")
        #expect(sale.term == .long)
        #expect(state.closed(Self.call).isEmpty)
    }

    /// Short put assigned: the premium lowers the basis of the shares bought.
    @Test func shortPutAssignedLowersBasis() throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .sellShort, Self.put, 1, "4")
        trades.add("2026-03-20", .assign, Self.put, 1, 0)
        let lot = try #require(try trades.run().openLots.first)
        #expect(lot.symbol == "AAPL")
        #expect(lot.side == .long)
        #expect(lot.basis == "14600")
        #expect(lot.acquired == taxDay("2026-03-20"))
    }

    /// A naked call assigned opens a short stock position at strike plus premium.
    @Test func nakedCallAssignedOpensAShort() throws {
        var trades = TaxTrades()
        trades.add("2026-01-05", .sellShort, Self.call, 2, "3")
        trades.add("2026-03-20", .assign, Self.call, 2, 0)
        let lot = try #require(try trades.run().openLots.first)
        #expect(lot.side == .short)
        #expect(lot.quantity == 200)
        #expect(lot.basis == "30600")
    }

    /// A put exercised on fewer shares than delivered closes what is held and shorts the rest,
    /// spreading proceeds and premium by shares.
    @Test func putExercisedBeyondTheSharesHeld() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "AAPL", 50, "160")
        trades.add("2025-06-02", .buy, Self.put, 1, "4")
        trades.add("2026-03-20", .exercise, Self.put, 1, 0)
        let state = try trades.run()
        #expect(state.closed("AAPL").first?.proceeds == "7300")
        #expect(state.openLots.first?.side == .short)
        #expect(state.openLots.first?.basis == "7300")
    }

    /// A long call exercised while short the stock covers the short at strike plus premium.
    @Test func callExercisedCoversAShort() throws {
        var trades = TaxTrades()
        trades.add("2026-01-02", .sellShort, "AAPL", 100, "160")
        trades.add("2026-01-05", .buy, Self.call, 1, "5")
        trades.add("2026-03-20", .exercise, Self.call, 1, 0)
        let state = try trades.run()
        let cover = try #require(state.closed("AAPL").first)
        #expect(cover.proceeds == "16000")
        #expect(cover.basis == "15500")
        #expect(state.openLots.isEmpty)
    }

    /// Exercising some of the contracts carries their share of the premium.
    @Test func partialExerciseCarriesProRataPremium() throws {
        var trades = TaxTrades()
        trades.add("2025-06-02", .buy, Self.call, 3, "5.01")
        trades.add("2026-03-20", .exercise, Self.call, 2, 0)
        let state = try trades.run()
        #expect(state.openLots(symbol: "AAPL").first?.basis == "31002")
        #expect(state.openLots(symbol: Self.call).first?.basis == "501")
    }

    /// Expiry closes at zero: the holder loses the premium (term by the option's holding period),
    /// the writer gains it short-term.
    @Test func expiryClosesAtZero() throws {
        var trades = TaxTrades()
        trades.add("2025-02-03", .buy, Self.call, 2, "5")
        trades.add("2025-11-03", .sellShort, Self.put, 1, "3")
        trades.add("2026-03-20", .expire, Self.call, 2, 0)
        trades.add("2026-03-20", .expire, Self.put, 1, 0)
        let state = try trades.run()
        let long = try #require(state.closed(Self.call).first)
        #expect(long.proceeds == 0)
        #expect(long.basis == "1000")
        #expect(long.gain == "-1000")
        #expect(long.sold == taxDay("2026-03-20"))
        #expect(long.term == .long)
        let short = try #require(state.closed(Self.put).first)
        #expect(short.proceeds == "300")
        #expect(short.basis == 0)
        #expect(short.gain == "300")
        #expect(short.term == .short)
    }

    /// Buying back a written option is short-term whatever the time between.
    @Test func writtenOptionBoughtBackIsShortTerm() throws {
        var trades = TaxTrades()
        trades.add("2024-01-02", .sellShort, "AAPL260320C00300000", 1, "8")
        trades.add("2025-06-02", .buyToCover, "AAPL260320C00300000", 1, "2")
        let sale = try #require(try trades.run().dispositions.first)
        #expect(sale.gain == "600")
        #expect(sale.term == .short)
    }

    /// Cash-settled index options pay their intrinsic value in cash and are Section 1256.
    @Test func cashSettledExercisePaysIntrinsicValue() throws {
        var trades = TaxTrades()
        trades.add("2025-02-03", .buy, "SPX250321C05000000", 1, "20")
        trades.add("2025-03-21", .exercise, "SPX250321C05000000", 1, "5050.25")
        let state = try trades.run()
        let sale = try #require(state.dispositions.first)
        #expect(sale.proceeds == "5025")
        #expect(sale.gain == "3025")
        #expect(sale.section1256LongTerm == "1815")
        #expect(sale.section1256ShortTerm == "1210")
        #expect(state.openLots.isEmpty)
    }

    @Test func cashSettledAssignmentPaysIntrinsicValue() throws {
        var trades = TaxTrades()
        trades.add("2025-02-03", .sellShort, "SPXW250321P05000000", 1, "30")
        trades.add("2025-03-21", .assign, "SPXW250321P05000000", 1, "4950")
        let sale = try #require(try trades.run().dispositions.first)
        #expect(sale.proceeds == "3000")
        #expect(sale.basis == "5000")
        #expect(sale.gain == "-2000")
        #expect(sale.section1256)
    }

    @Test func outOfTheMoneyCashSettlementPaysNothing() throws {
        var trades = TaxTrades()
        trades.add("2025-02-03", .buy, "SPX250321C05000000", 1, "20")
        trades.add("2025-03-21", .exercise, "SPX250321C05000000", 1, "4990")
        #expect(try trades.run().dispositions.first?.proceeds == 0)
    }

    @Test func deliveryTableMatchesPub550() {
        let table: [(OptionSymbol.Right, PositionSide, OrderSide, Decimal6)] = [
            (.call, .long, .buy, "15501"),
            (.put, .long, .sell, "14499"),
            (.call, .short, .sell, "15499"),
            (.put, .short, .buy, "14501"),
        ]
        for (right, holder, side, amount) in table {
            let delivery = OptionPremiums.delivery(right: right, holder: holder, strikeAmount: "15000", premium: "500", fees: "1")
            #expect(delivery.side == side)
            #expect(delivery.amount == amount)
        }
    }

    @Test func exerciseNeedsAnOptionAndAPosition() throws {
        var state = TaxState()
        var trades = TaxTrades()
        trades.add("2026-01-02", .buy, "AAPL", 100, "150")
        trades.add("2026-01-03", .exercise, "AAPL", 1, 0)
        trades.add("2026-01-04", .assign, Self.put, 1, 0)
        try state.apply(trades.events[0])
        #expect(throws: TaxEngineError.notAnOption(event: 2, symbol: "AAPL")) { try state.apply(trades.events[1]) }
        #expect(throws: TaxEngineError.insufficientPosition(event: 3, symbol: Self.put, side: .short, requested: 1, open: 0)) {
            try state.apply(trades.events[2])
        }
    }
}
