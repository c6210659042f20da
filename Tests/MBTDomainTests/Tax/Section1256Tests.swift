import MBTDomain
import PropertyBased
import Testing

/// Section 1256 contracts (`tax-rules.md` §3): broad-based index options, 60/40 whatever the holding
/// period, marked to market at year end, never washed.
@Suite("Tax Section 1256")
struct Section1256Tests {
    @Test(arguments: [
        ("SPX251219C05800000", true), ("SPXW250620P05000000", true), ("XSP250620C00580000", true), ("NDX250620C20000000", true),
        ("RUT250620P02000000", true), ("VIX250716C00020000", true), ("OEX250620C02800000", true), ("DJX250620C00420000", true),
        ("SPY250620C00580000", false), ("QQQ250620C00500000", false), ("IWM250620P00200000", false), ("AAPL250620C00200000", false),
    ])
    func tagsBroadBasedIndexOptionsOnly(symbol: String, isSection1256: Bool) throws {
        let instrument = try #require(TaxInstrument(symbol: symbol))
        #expect(instrument.isSection1256 == isSection1256)
    }

    @Test func stocksAreNeverSection1256() throws {
        #expect(TaxInstrument(symbol: "SPY")?.isSection1256 == false)
        #expect(TaxInstrument(symbol: "SPX")?.isSection1256 == false)
    }

    /// Held ten days, the gain is still 60 % long-term (1256(a)(3)).
    @Test func sixtyFortyRegardlessOfHoldingPeriod() throws {
        var trades = TaxTrades()
        trades.add("2025-03-03", .buy, "SPXW250620C05800000", 2, "40")
        trades.add("2025-03-13", .sell, "SPXW250620C05800000", 2, "45.005")
        let state = try trades.run()
        let sale = try #require(state.dispositions.first)
        #expect(sale.section1256)
        #expect(sale.gain == "1001")
        #expect(sale.section1256LongTerm == "600.6")
        #expect(sale.section1256ShortTerm == "400.4")
        #expect(sale.longTermGain == "600.6")
        let summary = state.summary(year: 2025).total
        #expect(summary.section1256Gain == "1001")
        #expect(summary.section1256LongTerm == "600.6")
        #expect(summary.shortTermGain == 0)
        #expect(summary.netShortTerm == "400.4")
        #expect(summary.netLongTerm == "600.6")
    }

    @Test func lossesSplitSixtyFortyToo() {
        #expect(Section1256.longTermPart(of: "-1000") == "-600")
        #expect(Section1256.shortTermPart(of: "-1000") == "-400")
        // 0.6 × 0.000001 rounds half-even to 0.000001; the 40 % is the rest.
        #expect(Section1256.longTermPart(of: "0.000001") == "0.000001")
        #expect(Section1256.shortTermPart(of: "0.000001") == 0)
    }

    @Test func splitPartsAlwaysAddUpToTheGain() async {
        await propertyCheck(input: Gen.int64(in: -1_000_000_000_000_000...1_000_000_000_000_000)) { micros in
            let gain = Decimal6(micros: micros)
            #expect(Section1256.longTermPart(of: gain) + Section1256.shortTermPart(of: gain) == gain)
            let error = Int128(Section1256.longTermPart(of: gain).micros) * 5 - Int128(micros) * 3
            #expect(error.magnitude * 2 <= 5)
        }
    }

    /// An open contract is deemed sold on December 31 at the year-end price; the lot carries on at
    /// the marked value, so the next year only recognises what changed after the mark (1256(a)(1)–(2)).
    @Test func yearEndMarkToMarketLong() throws {
        var trades = TaxTrades()
        trades.add("2025-12-01", .buy, "SPX260116C06000000", 1, "10")
        trades.add("2026-01-09", .sell, "SPX260116C06000000", 1, "12")
        let state = try trades.run(marks: [2025: ["SPX260116C06000000": "15"]])
        let marks = state.dispositionsInSaleOrder
        #expect(marks.count == 2)
        #expect(marks[0].isYearEndMark)
        #expect(marks[0].sold == taxDay("2025-12-31"))
        #expect(marks[0].gain == "500")
        #expect(marks[1].basis == "1500")
        #expect(marks[1].gain == "-300")
        #expect(state.summary(year: 2025).total.section1256LongTerm == "300")
        #expect(state.summary(year: 2026).total.section1256Gain == "-300")
        #expect(state.totalGain == "200")
    }

    @Test func yearEndMarkToMarketShort() throws {
        var trades = TaxTrades()
        trades.add("2025-11-20", .sellShort, "SPXW260116P05500000", 1, "20")
        trades.add("2026-01-05", .buyToCover, "SPXW260116P05500000", 1, "3")
        let state = try trades.run(marks: [2025: ["SPXW260116P05500000": "5"]])
        let marks = state.dispositionsInSaleOrder
        #expect(marks.map(\.proceeds) == ["2000", "500"])
        #expect(marks.map(\.basis) == ["500", "300"])
        #expect(marks.map(\.gain) == ["1500", "200"])
    }

    /// Marks apply to every year given, in order, and only to contracts open at that year end.
    @Test func marksSeveralYears() throws {
        var trades = TaxTrades()
        trades.add("2024-06-03", .buy, "XSP261218C00600000", 1, "10")
        trades.add("2026-03-02", .sell, "XSP261218C00600000", 1, "20")
        let marks: [Int: [String: Decimal6]] = [2024: ["XSP261218C00600000": "12"], 2025: ["XSP261218C00600000": "11"], 2026: [:]]
        let state = try trades.run(marks: marks)
        #expect(state.dispositionsInSaleOrder.map(\.gain) == ["200", "-100", "900"])
        #expect(state.openLots.isEmpty)
    }

    @Test func missingMarkIsAnErrorAndChangesNothing() throws {
        var state = TaxState()
        var trades = TaxTrades()
        trades.add("2025-12-01", .buy, "SPX260116C06000000", 1, "10")
        trades.add("2025-12-02", .buy, "AAPL", 1, "10")
        for event in trades.events { try state.apply(event) }
        let before = state
        #expect(throws: TaxEngineError.missingYearEndMark(year: 2025, symbol: "SPX260116C06000000")) {
            try state.markToMarket(year: 2025, prices: ["AAPL": "11"])
        }
        #expect(state == before)
    }

    @Test func markBeforeTheLastEventIsOutOfOrder() throws {
        var state = TaxState()
        var trades = TaxTrades()
        trades.add("2026-01-02", .buy, "SPX260116C06000000", 1, "10")
        try state.apply(trades.events[0])
        #expect(throws: TaxEngineError.outOfOrder(event: 0)) { try state.markToMarket(year: 2025, prices: [:]) }
    }
}
