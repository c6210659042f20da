import MBTDomain
import PropertyBased
import Testing

/// Lot methods: FIFO (the IRS default), LIFO, HIFO on wash-adjusted basis, specific identification.
@Suite("Tax lot selection")
struct LotSelectorTests {
    /// Lots of 10 at 30 (Jan), 50 (Feb), 40 (Mar); 15 sold at 45 in April.
    static func threeLots() -> TaxTrades {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "L", 10, "30")
        trades.add("2025-02-03", .buy, "L", 10, "50")
        trades.add("2025-03-03", .buy, "L", 10, "40")
        return trades
    }

    @Test(arguments: [
        (TaxLotMethod.fifo, [Int64(1), 2], ["300", "250"]),
        (.lifo, [3, 2], ["400", "250"]),
        (.hifo, [2, 3], ["500", "200"]),
    ])
    func methodsPickTheirLots(method: TaxLotMethod, origins: [Int64], bases: [Decimal6]) throws {
        var trades = Self.threeLots()
        trades.add("2025-04-01", .sell, "L", 15, "45")
        let sales = try trades.run(method: method).closed("L")
        #expect(sales.map(\.lotId.origin) == origins)
        #expect(sales.map(\.quantity) == ["10", "5"])
        #expect(sales.map(\.basis) == bases)
    }

    @Test func perEventOverrideBeatsTheDefault() throws {
        var trades = Self.threeLots()
        trades.add("2025-04-01", .sell, "L", 10, "45", method: .lifo)
        let sale = try #require(try trades.run(method: .fifo).closed("L").first)
        #expect(sale.lotId == TaxLotID(origin: 3))
    }

    @Test func specificIdentificationInTheOrderNamed() throws {
        var trades = Self.threeLots()
        trades.add("2025-04-01", .sell, "L", 15, "45", lots: [3, 1])
        let sales = try trades.run().closed("L")
        #expect(sales.map(\.lotId.origin) == [3, 1])
        #expect(sales.map(\.quantity) == ["10", "5"])
    }

    @Test func specificLotsMustHoldEnough() throws {
        var trades = Self.threeLots()
        trades.add("2025-04-01", .sell, "L", 15, "45", lots: [2])
        #expect(throws: TaxEngineError.specificLotsInsufficient(event: 4, symbol: "L", lotIds: [2], requested: 15, available: 10)) {
            try trades.run()
        }
    }

    @Test func specificIdDefaultNeedsLotIds() throws {
        var trades = Self.threeLots()
        trades.add("2025-04-01", .sell, "L", 5, "45")
        #expect(throws: TaxEngineError.missingLotIds(event: 4)) { try trades.run(method: .specificId) }
    }

    /// HIFO ranks by wash-adjusted basis per share (`tax-rules.md` §4): a cheap lot that absorbed a
    /// disallowed loss can be the costliest.
    @Test func hifoUsesWashAdjustedBasis() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "H", 10, "100")
        trades.add("2025-01-10", .sell, "H", 10, "60")
        trades.add("2025-01-11", .buy, "H", 10, "61")
        trades.add("2025-01-12", .buy, "H", 10, "90")
        trades.add("2025-06-02", .sell, "H", 10, "95", method: .hifo)
        let sale = try #require(try trades.run().closed("H").last)
        #expect(sale.lotId.origin == 3)
        #expect(sale.basis == "1010")
    }

    @Test func sellingMoreThanHeldIsRefusedAndChangesNothing() throws {
        var state = TaxState()
        var trades = Self.threeLots()
        trades.add("2025-04-01", .sell, "L", 31, "45")
        for event in trades.events.prefix(3) { try state.apply(event) }
        let before = state
        #expect(throws: TaxEngineError.insufficientPosition(event: 4, symbol: "L", side: .long, requested: 31, open: 30)) {
            try state.apply(trades.events[3])
        }
        #expect(state == before)
    }

    @Test func buyingWhileShortIsRefused() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .sellShort, "Z", 10, "30")
        trades.add("2025-01-03", .buy, "Z", 10, "29")
        #expect(throws: TaxEngineError.oppositePositionOpen(event: 2, symbol: "Z", open: .short)) { try trades.run() }
    }

    @Test func eventsMustComeInOrder() throws {
        var state = TaxState()
        var trades = TaxTrades()
        trades.add("2025-01-03", .buy, "Z", 10, "30")
        trades.add("2025-01-02", .buy, "Z", 10, "29")
        try state.apply(trades.events[0])
        #expect(throws: TaxEngineError.outOfOrder(event: 2)) { try state.apply(trades.events[1]) }
        #expect(throws: TaxEngineError.outOfOrder(event: 1)) { try state.apply(trades.events[0]) }
    }

    /// HIFO through the book's cost index picks exactly what a brute-force sort of the open lots
    /// by adjusted basis per unit (ties oldest first) picks, also after wash sales changed bases.
    @Test func hifoIndexMatchesBruteForce() async {
        let steps = zip(Gen.int(in: 0...9), Gen.int64(in: 1_000_000...30_000_000), Gen.int64(in: 1_000_000...90_000_000)).array(of: 1...60)
        await propertyCheck(input: steps) { steps in
            var state = TaxState(defaultMethod: .hifo)
            var date = taxDay("2025-01-02")
            for (index, step) in steps.enumerated() {
                let (kind, quantity, price) = step
                let held = state.openLots(symbol: "H").reduce(Decimal6.zero) { $0 + $1.quantity }
                let selling = kind < 4 && held.isPositive
                let amount = selling ? min(Decimal6(micros: quantity), held) : Decimal6(micros: quantity)
                let event = TaxEvent(
                    id: Int64(index + 1), date: date, sequence: Int64(index + 1), action: selling ? .sell : .buy, symbol: "H",
                    quantity: amount, price: Decimal6(micros: price))
                let expected = selling ? Self.bruteForceHIFO(state.openLots(symbol: "H"), amount) : []
                let before = state.dispositions.count
                try state.apply(event)
                let picked = state.dispositions[before...].map { ($0.lotId, $0.quantity) }
                #expect(picked.map(\.0) == expected.map(\.0))
                #expect(picked.map(\.1) == expected.map(\.1))
                date = date.adding(days: kind % 3)
            }
        }
    }

    static func bruteForceHIFO(_ lots: [TaxLot], _ quantity: Decimal6) -> [(TaxLotID, Decimal6)] {
        let sorted = lots.sorted { a, b in
            let left = Int128(a.adjustedBasis.micros) * Int128(b.quantity.micros)
            let right = Int128(b.adjustedBasis.micros) * Int128(a.quantity.micros)
            if left != right { return left > right }
            return (a.acquired, a.id.origin, a.id.part) < (b.acquired, b.id.origin, b.id.part)
        }
        var remaining = quantity
        var picks: [(TaxLotID, Decimal6)] = []
        for lot in sorted where remaining.isPositive {
            let taken = min(remaining, lot.quantity)
            picks.append((lot.id, taken))
            remaining = remaining - taken
        }
        return picks
    }
}
