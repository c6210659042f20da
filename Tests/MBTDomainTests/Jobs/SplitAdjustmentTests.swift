import MBTDomain
import Testing

/// Splits: positions (whole shares with cash in lieu, fractional shares exactly), tax lots and
/// resting orders, forward and reverse.
@Suite("Jobs: split adjustment")
struct SplitAdjustmentTests {
    typealias F = JobFixtures

    static let exDate = F.date("2026-06-08")

    static func split(_ newRate: Decimal6, for oldRate: Decimal6, symbol: String = "NVDA") throws -> SplitAdjustment {
        try SplitAdjustment(.split(id: "ca-9", symbol: symbol, newRate: newRate, oldRate: oldRate, exDate: exDate))
    }

    // MARK: Ratio

    @Test(arguments: [
        (Decimal6(4), Decimal6(1), true, false, "4-for-1"), (1, 10, false, true, "1-for-10"), (3, 2, true, false, "3-for-2"),
        ("1.5", 1, true, false, "1.5-for-1"), (1, 1, false, false, "1-for-1"),
    ] as [(Decimal6, Decimal6, Bool, Bool, String)])
    func direction(newRate: Decimal6, oldRate: Decimal6, forward: Bool, reverse: Bool, text: String) throws {
        let split = try Self.split(newRate, for: oldRate)
        #expect(split.isForward == forward)
        #expect(split.isReverse == reverse)
        #expect(split.ratioText == text)
    }

    @Test func refusesBadActions() {
        for (newRate, oldRate) in [(Decimal6(0), Decimal6(1)), (2, 0), ("-2", 1), (2, "-1")] as [(Decimal6, Decimal6)] {
            #expect(throws: SplitAdjustmentError.nonPositiveRate(actionID: "ca-9", newRate: newRate, oldRate: oldRate)) {
                try Self.split(newRate, for: oldRate)
            }
        }
        let dividend = CorporateAction.cashDividend(id: "ca-1", symbol: "NVDA", rate: 1, exDate: Self.exDate, payableDate: nil)
        #expect(throws: SplitAdjustmentError.notASplit("ca-1")) { try SplitAdjustment(dividend) }
    }

    // MARK: Positions

    struct PositionRow: Sendable, CustomTestStringConvertible {
        let label: String
        let side: PositionSide
        let shares: Decimal6
        let averageCost: Decimal6
        let newRate: Decimal6
        let oldRate: Decimal6
        let previousClose: Decimal6
        /// `nil` when nothing is left.
        let after: (shares: Decimal6, averageCost: Decimal6)?
        let fraction: Decimal6
        let cash: Decimal6
        let realized: Decimal6

        var testDescription: String { label }
    }

    static let positionRows: [PositionRow] = [
        PositionRow(
            label: "4-for-1 long", side: .long, shares: 10, averageCost: 400, newRate: 4, oldRate: 1, previousClose: 420,
            after: (40, 100), fraction: 0, cash: 0, realized: 0),
        PositionRow(
            label: "2-for-1 short", side: .short, shares: 50, averageCost: 20, newRate: 2, oldRate: 1, previousClose: 25,
            after: (100, 10), fraction: 0, cash: 0, realized: 0),
        PositionRow(
            label: "3-for-2 long with a half share cashed out", side: .long, shares: 101, averageCost: 150, newRate: 3, oldRate: 2,
            previousClose: 160, after: (151, 100), fraction: "0.5", cash: "53.33", realized: "3.33"),
        PositionRow(
            label: "3-for-2 short charged for the half share", side: .short, shares: 101, averageCost: 150, newRate: 3, oldRate: 2,
            previousClose: 160, after: (151, 100), fraction: "0.5", cash: "-53.34", realized: "-3.34"),
        PositionRow(
            label: "1-for-10 reverse long", side: .long, shares: 1005, averageCost: 2, newRate: 1, oldRate: 10, previousClose: "1.50",
            after: (100, 20), fraction: "0.5", cash: "7.50", realized: "-2.50"),
        PositionRow(
            label: "1-for-10 reverse short", side: .short, shares: 1005, averageCost: 2, newRate: 1, oldRate: 10, previousClose: "1.50",
            after: (100, 20), fraction: "0.5", cash: "-7.50", realized: "2.50"),
        PositionRow(
            label: "1-for-10 reverse leaves only cash", side: .long, shares: 5, averageCost: 3, newRate: 1, oldRate: 10, previousClose: 2,
            after: nil, fraction: "0.5", cash: "10.00", realized: "-5.00"),
        PositionRow(
            label: "1-for-3 reverse cashes out one old share exactly", side: .long, shares: 100, averageCost: 100, newRate: 1,
            oldRate: 3, previousClose: 90, after: (33, 300), fraction: "0.333333", cash: "90.00", realized: "-9.9999"),
        PositionRow(
            label: "3-for-1 average cost rounds half-even", side: .long, shares: 100, averageCost: 100, newRate: 3, oldRate: 1,
            previousClose: 100, after: (300, "33.333333"), fraction: 0, cash: 0, realized: 0),
        PositionRow(
            label: "fractional long scales exactly", side: .long, shares: "2.5", averageCost: 100, newRate: 3, oldRate: 2,
            previousClose: 90, after: ("3.75", "66.666667"), fraction: 0, cash: 0, realized: 0),
        PositionRow(
            label: "fractional short scales half-even", side: .short, shares: "0.1", averageCost: 10, newRate: 1, oldRate: 3,
            previousClose: 10, after: ("0.033333", 30), fraction: 0, cash: 0, realized: 0),
        PositionRow(
            label: "fractional position in a reverse split keeps its fraction", side: .long, shares: "12.345678", averageCost: "8.5",
            newRate: 1, oldRate: 4, previousClose: 9, after: ("3.086420", "34"), fraction: 0, cash: 0, realized: 0),
    ]

    @Test(arguments: positionRows)
    func position(_ row: PositionRow) throws {
        let split = try Self.split(row.newRate, for: row.oldRate)
        let before = F.stock("NVDA", row.side, row.shares, averageCost: row.averageCost)
        let result = try split.adjust(before, unadjustedPreviousClose: row.previousClose)
        #expect(result.position?.quantity == row.after?.shares)
        #expect(result.position?.averageCost == row.after?.averageCost)
        #expect(result.position?.side ?? row.side == row.side)
        #expect(result.position?.openedAt ?? before.openedAt == before.openedAt)
        #expect(result.fractionalShares == row.fraction)
        #expect(result.cashInLieu == row.cash)
        #expect(result.realizedPnL == row.realized)
    }

    /// The total cost over the exact scaled quantity stays within half a micro-unit per share.
    @Test(arguments: [
        (Decimal6(100), Decimal6(100), Decimal6(3), Decimal6(1)), (7, "13.37", 7, 3), (1_000_000, "0.123457", 1, 7), (3, "99.999999", 5, 4),
    ] as [(Decimal6, Decimal6, Decimal6, Decimal6)])
    func averageCostPreservesTotalBasis(shares: Decimal6, averageCost: Decimal6, newRate: Decimal6, oldRate: Decimal6) throws {
        let split = try Self.split(newRate, for: oldRate)
        let exact = try split.scaledQuantity(shares, rounding: .toNearestOrEven)
        let newCost = try split.scaledPrice(averageCost, rounding: .toNearestOrEven)
        let before = try averageCost.multiplied(by: shares, rounding: .toNearestOrEven)
        let after = try newCost.multiplied(by: exact, rounding: .toNearestOrEven)
        let tolerance = try Decimal6(micros: 1).multiplied(by: exact, rounding: .up)
        #expect((after - before).magnitude <= tolerance)
    }

    @Test func positionExplanation() throws {
        let result = try Self.split(3, for: 2).adjust(F.stock("NVDA", .long, 101, averageCost: 150), unadjustedPreviousClose: 160)
        #expect(
            result.explanation
                == "NVDA 3-for-2 split effective 2026-06-08: 101 NVDA long at 150.00 became 151 at 100.00; 0.5 fractional share paid in lieu: 53.33"
        )
        let short = try Self.split(1, for: 10).adjust(F.stock("NVDA", .short, 5, averageCost: 3), unadjustedPreviousClose: 2)
        #expect(
            short.explanation
                == "NVDA 1-for-10 split effective 2026-06-08: 5 NVDA short at 3.00 became no shares; 0.5 fractional share charged in lieu: 10.00"
        )
    }

    @Test func positionRefusals() throws {
        let split = try Self.split(2, for: 1)
        #expect(throws: SplitAdjustmentError.symbolMismatch(holding: "AMD", action: "NVDA")) {
            try split.adjust(F.stock("AMD", .long, 10), unadjustedPreviousClose: 100)
        }
        #expect(throws: SplitAdjustmentError.notAStockPosition("NVDA")) {
            try split.adjust(
                Position(symbol: "NVDA", assetClass: .option, side: .long, quantity: 1, averageCost: 1, openedAt: F.opened),
                unadjustedPreviousClose: 100)
        }
        #expect(throws: SplitAdjustmentError.nonPositivePrice(0)) {
            try split.adjust(F.stock("NVDA", .long, 10), unadjustedPreviousClose: 0)
        }
    }

    // MARK: Tax lots

    @Test func taxLotsKeepBasisAndDatesAndAddUp() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "NVDA", 1, "10", fees: "0.01")
        trades.add("2025-02-03", .buy, "NVDA", 1, "11")
        trades.add("2025-03-04", .buy, "NVDA", 1, "12")
        let lots = try trades.run().openLots(symbol: "NVDA")
        let scaled = try Self.split(1, for: 3).adjust(lots)
        #expect(scaled.map(\.quantity) == ["0.333333", "0.333334", "0.333333"])
        #expect(scaled.reduce(Decimal6.zero) { $0 + $1.quantity } == 1)
        #expect(scaled.map(\.basis) == lots.map(\.basis))
        #expect(scaled.map(\.acquired) == lots.map(\.acquired))
        #expect(scaled.map(\.adjustedAcquired) == lots.map(\.adjustedAcquired))
        #expect(scaled.map(\.id) == lots.map(\.id))
        #expect(scaled.map(\.washSaleAdjustment) == lots.map(\.washSaleAdjustment))
    }

    @Test func taxLotsForward() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "NVDA", 10, "400")
        trades.add("2025-02-03", .buy, "NVDA", "2.5", "420")
        let lots = try trades.run().openLots(symbol: "NVDA")
        let scaled = try Self.split(4, for: 1).adjust(lots)
        #expect(scaled.map(\.quantity) == [40, 10])
        #expect(scaled.map(\.basis) == ["4000", "1050"])
    }

    @Test(arguments: [
        ([Decimal6(10), 20], Decimal6(4), Decimal6(1), [Decimal6(40), 80]),
        ([1, 1, 1], 1, 3, ["0.333333", "0.333334", "0.333333"]),
        (["0.1", "0.1", "0.1", "0.1"], 3, 2, ["0.15", "0.15", "0.15", "0.15"]),
        ([7, 5], 1, 10, ["0.7", "0.5"]),
        ([], 2, 1, []),
    ] as [([Decimal6], Decimal6, Decimal6, [Decimal6])])
    func scaledQuantitiesAddUp(_ quantities: [Decimal6], newRate: Decimal6, oldRate: Decimal6, expected: [Decimal6]) throws {
        let split = try Self.split(newRate, for: oldRate)
        let scaled = try split.scaledQuantities(quantities)
        #expect(scaled == expected)
        let total = quantities.reduce(Decimal6.zero, +)
        #expect(scaled.reduce(Decimal6.zero, +) == (try split.scaledQuantity(total, rounding: .toNearestOrEven)))
    }

    @Test func taxLotsOfAnotherSymbolAreRefused() throws {
        var trades = TaxTrades()
        trades.add("2025-01-02", .buy, "AMD", 10, "100")
        let lots = try trades.run().openLots(symbol: "AMD")
        #expect(throws: SplitAdjustmentError.symbolMismatch(holding: "AMD", action: "NVDA")) { try Self.split(2, for: 1).adjust(lots) }
    }

    // MARK: Resting orders

    struct OrderRow: Sendable, CustomTestStringConvertible {
        let label: String
        let side: OrderSide
        let shares: Decimal6
        let limit: Decimal6?
        let newRate: Decimal6
        let oldRate: Decimal6
        /// `nil` when the order must be canceled.
        let after: (shares: Decimal6, limit: Decimal6?)?

        var testDescription: String { label }
    }

    static let orderRows: [OrderRow] = [
        OrderRow(label: "3-for-1 buy limit rounds down", side: .buy, shares: 10, limit: "100.01", newRate: 3, oldRate: 1, after: (30, "33.33")),
        OrderRow(label: "3-for-1 sell limit rounds up", side: .sell, shares: 10, limit: "100.01", newRate: 3, oldRate: 1, after: (30, "33.34")),
        OrderRow(label: "3-for-2 buy cuts the half share", side: .buy, shares: 15, limit: "3.01", newRate: 3, oldRate: 2, after: (22, "2.00")),
        OrderRow(label: "3-for-2 sell cuts the half share", side: .sell, shares: 15, limit: "3.01", newRate: 3, oldRate: 2, after: (22, "2.01")),
        OrderRow(label: "1-for-10 sell", side: .sell, shares: 25, limit: "4.99", newRate: 1, oldRate: 10, after: (2, "49.90")),
        OrderRow(label: "1-for-10 buy of 7 shares is canceled", side: .buy, shares: 7, limit: 50, newRate: 1, oldRate: 10, after: nil),
        OrderRow(label: "1-for-3 buy limit", side: .buy, shares: 30, limit: "10.01", newRate: 1, oldRate: 3, after: (10, "30.03")),
        OrderRow(label: "2-for-1 below a dollar is exact", side: .buy, shares: 100, limit: "1.50", newRate: 2, oldRate: 1, after: (200, "0.75")),
        OrderRow(label: "2-for-1 crossing below a dollar uses sub-penny ticks (sell up)", side: .sell, shares: 100, limit: "1.99", newRate: 2,
            oldRate: 1, after: (200, "0.995")),
        OrderRow(label: "2-for-1 staying above a dollar uses cents (buy down)", side: .buy, shares: 100, limit: "2.01", newRate: 2, oldRate: 1,
            after: (200, "1.00")),
        OrderRow(label: "sub-penny buy rounds down to the tick", side: .buy, shares: 100, limit: "0.0151", newRate: 2, oldRate: 1,
            after: (200, "0.0075")),
        OrderRow(label: "sub-penny sell rounds up to the tick", side: .sell, shares: 100, limit: "0.0151", newRate: 2, oldRate: 1,
            after: (200, "0.0076")),
        OrderRow(label: "buy limit that rounds to zero is canceled", side: .buy, shares: 100, limit: "0.0001", newRate: 3, oldRate: 1, after: nil),
        OrderRow(label: "sell limit never rounds to zero", side: .sell, shares: 100, limit: "0.0001", newRate: 3, oldRate: 1, after: (300, "0.0001")),
        OrderRow(label: "market order: quantity only", side: .buy, shares: 10, limit: nil, newRate: 4, oldRate: 1, after: (40, nil)),
        OrderRow(label: "fractional order scales exactly", side: .buy, shares: "0.5", limit: nil, newRate: 3, oldRate: 2, after: ("0.75", nil)),
        OrderRow(label: "fractional order rounds down", side: .sell, shares: "0.1", limit: 9, newRate: 1, oldRate: 3, after: ("0.033333", 27)),
    ]

    @Test(arguments: orderRows)
    func order(_ row: OrderRow) throws {
        let order = RestingOrder(
            instrument: .equity("NVDA"), side: row.side, quantity: row.shares, type: row.limit == nil ? .market : .limit,
            limitPrice: row.limit, timeInForce: .gtc, submittedAt: F.opened)
        let result = try Self.split(row.newRate, for: row.oldRate).adjust(order)
        switch result {
        case .adjusted(let adjusted, _):
            #expect(adjusted.quantity == row.after?.shares)
            #expect(adjusted.limitPrice == row.after?.limit)
            #expect(adjusted.side == order.side)
            #expect(adjusted.type == order.type)
            #expect(adjusted.timeInForce == order.timeInForce)
            #expect(adjusted.submittedAt == order.submittedAt)
        case .canceled:
            #expect(row.after == nil)
        }
    }

    @Test func orderExplanations() throws {
        let order = RestingOrder(
            instrument: .equity("NVDA"), side: .sell, quantity: 15, type: .limit, limitPrice: "3.01", submittedAt: F.opened)
        let result = try Self.split(3, for: 2).adjust(order)
        guard case .adjusted(_, let explanation) = result else {
            Issue.record("expected an adjusted order, got \(result)")
            return
        }
        #expect(explanation == "NVDA 3-for-2 split effective 2026-06-08: sell 15 NVDA adjusted to 15 → 22 shares, limit 3.01 → 2.01")
        let small = RestingOrder(instrument: .equity("NVDA"), side: .buy, quantity: 7, type: .market, submittedAt: F.opened)
        #expect(try Self.split(1, for: 10).adjust(small) == .canceled(reason: "NVDA 1-for-10 split effective 2026-06-08: buy 7 NVDA would be 0 shares"))
    }

    @Test func orderRefusals() throws {
        let split = try Self.split(2, for: 1)
        let other = RestingOrder(instrument: .equity("AMD"), side: .buy, quantity: 1, type: .market, submittedAt: F.opened)
        #expect(throws: SplitAdjustmentError.symbolMismatch(holding: "AMD", action: "NVDA")) { try split.adjust(other) }
        let option = RestingOrder(
            instrument: .option(F.contract("NVDA260618C00100000")), side: .buy, quantity: 1, type: .limit, limitPrice: 1,
            submittedAt: F.opened)
        #expect(throws: SplitAdjustmentError.notAStockPosition("NVDA260618C00100000")) { try split.adjust(option) }
    }
}
