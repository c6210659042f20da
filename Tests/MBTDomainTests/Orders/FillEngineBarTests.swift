import Foundation
import MBTDomain
import Testing

/// Resting orders judged on one-minute bars.
@Suite("Fill engine: bars")
struct FillEngineBarTests {
    typealias F = OrderFixtures

    static let submitted = F.ny("2026-11-24", 10, 0)
    static let barStart = F.ny("2026-11-24", 10, 5)
    static let session = F.session(on: "2026-11-24")

    static func onBar(_ order: RestingOrder, _ bar: Bar, touch: Bool = true, nbbo: Quote? = nil) -> FillDecision {
        FillEngine.onBar(order, bar: bar, session: session, settings: FillSettings(touchFills: touch), nbbo: nbbo)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let side: OrderSide
        let ohlc: (Decimal6, Decimal6, Decimal6, Decimal6)
        let touch: Bool
        /// The fill price, or `nil` for "rests".
        let price: Decimal6?
        let rule: FillRule?

        var testDescription: String { label }
    }

    /// Limit 100.00 on both sides.
    static let rows: [Row] = [
        // Buy: low reaches the limit.
        Row(
            label: "buy, low touches L, touch", side: .buy, ohlc: ("100.50", "100.60", "100.00", "100.20"), touch: true, price: "100.00",
            rule: .limitBarLimit),
        Row(
            label: "buy, low touches L, strict", side: .buy, ohlc: ("100.50", "100.60", "100.00", "100.20"), touch: false, price: nil,
            rule: nil),
        Row(
            label: "buy, low through L, touch", side: .buy, ohlc: ("100.50", "100.60", "99.90", "100.20"), touch: true, price: "100.00",
            rule: .limitBarLimit),
        Row(
            label: "buy, low through L, strict", side: .buy, ohlc: ("100.50", "100.60", "99.90", "100.20"), touch: false, price: "100.00",
            rule: .limitBarLimit),
        Row(label: "buy, low above L", side: .buy, ohlc: ("100.50", "100.60", "100.01", "100.20"), touch: true, price: nil, rule: nil),
        Row(
            label: "buy, gap down through L, touch", side: .buy, ohlc: ("99.50", "99.80", "99.40", "99.70"), touch: true, price: "99.50",
            rule: .limitBarOpen),
        Row(
            label: "buy, gap down through L, strict", side: .buy, ohlc: ("99.50", "99.80", "99.40", "99.70"), touch: false, price: "99.50",
            rule: .limitBarOpen),
        Row(
            label: "buy, opens exactly at L, touch", side: .buy, ohlc: ("100.00", "100.20", "100.00", "100.10"), touch: true,
            price: "100.00", rule: .limitBarLimit),
        Row(
            label: "buy, opens exactly at L, strict", side: .buy, ohlc: ("100.00", "100.20", "100.00", "100.10"), touch: false, price: nil,
            rule: nil),
        Row(
            label: "buy, gaps up away from L", side: .buy, ohlc: ("101.00", "101.50", "100.80", "101.20"), touch: true, price: nil,
            rule: nil),
        // Sell: the mirror on the high.
        Row(
            label: "sell, high touches L, touch", side: .sell, ohlc: ("99.50", "100.00", "99.40", "99.80"), touch: true, price: "100.00",
            rule: .limitBarLimit),
        Row(
            label: "sell, high touches L, strict", side: .sell, ohlc: ("99.50", "100.00", "99.40", "99.80"), touch: false, price: nil,
            rule: nil),
        Row(
            label: "sell, high through L, touch", side: .sell, ohlc: ("99.50", "100.10", "99.40", "99.80"), touch: true, price: "100.00",
            rule: .limitBarLimit),
        Row(
            label: "sell, high through L, strict", side: .sell, ohlc: ("99.50", "100.10", "99.40", "99.80"), touch: false, price: "100.00",
            rule: .limitBarLimit),
        Row(label: "sell, high below L", side: .sell, ohlc: ("99.50", "99.99", "99.40", "99.80"), touch: true, price: nil, rule: nil),
        Row(
            label: "sell, gap up through L, touch", side: .sell, ohlc: ("100.50", "100.80", "100.40", "100.60"), touch: true,
            price: "100.50", rule: .limitBarOpen),
        Row(
            label: "sell, gap up through L, strict", side: .sell, ohlc: ("100.50", "100.80", "100.40", "100.60"), touch: false,
            price: "100.50", rule: .limitBarOpen),
        Row(
            label: "sell, opens exactly at L, touch", side: .sell, ohlc: ("100.00", "100.00", "99.80", "99.90"), touch: true,
            price: "100.00", rule: .limitBarLimit),
        Row(
            label: "sell, opens exactly at L, strict", side: .sell, ohlc: ("100.00", "100.00", "99.80", "99.90"), touch: false, price: nil,
            rule: nil),
        Row(
            label: "sell, gaps down away from L", side: .sell, ohlc: ("99.00", "99.20", "98.50", "99.10"), touch: true, price: nil,
            rule: nil),
    ]

    @Test(arguments: rows)
    func limitOrderOnABar(row: Row) {
        let order = F.order(row.side, .limit, limit: "100.00", submittedAt: Self.submitted)
        let (open, high, low, close) = row.ohlc
        let bar = F.bar(at: Self.barStart, open: open, high: high, low: low, close: close)
        let decision = Self.onBar(order, bar, touch: row.touch)
        if let price = row.price {
            #expect(decision.fill?.price == price)
            #expect(decision.fill?.rule == row.rule)
            #expect(decision.fill?.pricedAt == Self.barStart)
            #expect(decision.fill?.nbboBid == nil)
            #expect(decision.fill?.slippageBasis == nil)
        } else {
            #expect(decision == .rest)
        }
    }

    @Test func optionLimitsUseTheSameBarRule() throws {
        let order = F.order(.option(F.call), .buy, .limit, limit: "2.00", quantity: 1, submittedAt: Self.submitted)
        let bar = F.bar(F.call.description, at: Self.barStart, open: "2.10", high: "2.10", low: "1.95", close: "2.00")
        let fill = Self.onBar(order, bar).fill
        #expect(fill?.price == "2.00")
        #expect(fill?.multiplier == 100)
        #expect(try fill?.notional() == "200")
    }

    @Test func nbboSnapshotIsRecordedWithoutChangingThePrice() {
        let order = F.order(.buy, .limit, limit: "100.00", submittedAt: Self.submitted)
        let bar = F.bar(at: Self.barStart, open: "100.50", high: "100.60", low: "99.90", close: "100.20")
        let nbbo = F.quote(bid: "99.90", ask: "100.10", at: Self.barStart)
        let fill = Self.onBar(order, bar, nbbo: nbbo).fill
        #expect(fill?.price == "100.00")
        #expect(fill?.nbboBid == "99.90")
        #expect(fill?.nbboAsk == "100.10")
        // Mid 100.00: bought at the mid.
        #expect(fill?.slippageBasis == "0")
    }

    // MARK: Bars that cannot fill

    @Test(
        arguments: [
            ("starts before the order", F.bar(at: F.ny("2026-11-24", 9, 59), open: 99, high: 99, low: 99, close: 99)),
            ("pre-market", F.bar(at: F.ny("2026-11-24", 9, 0), open: 99, high: 99, low: 99, close: 99)),
            ("after the close", F.bar(at: F.ny("2026-11-24", 16, 0), open: 99, high: 99, low: 99, close: 99)),
            ("another symbol", F.bar("MSFT", at: F.ny("2026-11-24", 10, 5), open: 99, high: 99, low: 99, close: 99)),
            ("inconsistent", F.bar(at: F.ny("2026-11-24", 10, 5), open: 99, high: 98, low: 99, close: 99)),
            ("zero prices", F.bar(at: F.ny("2026-11-24", 10, 5), open: 0, high: 0, low: 0, close: 0)),
        ])
    func barsThatCannotFillLeaveTheOrderResting(_ label: String, bar: Bar) {
        let order = F.order(.buy, .limit, limit: "100.00", submittedAt: Self.submitted)
        #expect(Self.onBar(order, bar) == .rest, "\(label)")
    }

    @Test func iocOrdersNeverRest() {
        let order = F.order(.buy, .limit, limit: "100.00", tif: .ioc, submittedAt: Self.submitted)
        let bar = F.bar(at: Self.barStart, open: 99, high: 99, low: 99, close: 99)
        #expect(Self.onBar(order, bar) == .cancel(.immediateOrderResting))
    }

    // MARK: Market orders accepted outside the session

    @Test(
        arguments: [
            ("Saturday", F.ny("2026-11-28", 11, 0), "2026-11-30"),
            ("after an early close", F.ny("2026-11-27", 14, 0), "2026-11-30"),
            ("pre-market", F.ny("2026-11-24", 7, 0), "2026-11-24"),
            ("Thanksgiving", F.ny("2026-11-26", 12, 0), "2026-11-27"),
        ])
    func restingMarketOrderFillsAtTheOpenOfTheNextSessionsFirstBar(_ label: String, submittedAt: Date, sessionDate: String) {
        let session = F.session(on: sessionDate)
        let firstBar = F.bar(at: session.open, open: "101.00", high: "101.50", low: "100.50", close: "101.20")
        for side in OrderSide.allCases {
            let order = F.order(side, .market, submittedAt: submittedAt)
            #expect(
                FillEngine.onSubmit(order, quote: F.quote(at: submittedAt), now: submittedAt, session: F.session(at: submittedAt)) == .rest)
            let fill = FillEngine.onBar(order, bar: firstBar, session: session).fill
            #expect(fill?.price == "101.00", "\(label) \(side)")
            #expect(fill?.rule == .marketAtSessionOpen)
            #expect(fill?.priceSource == .barOpen)
            #expect(fill?.pricedAt == session.open)
        }
    }

    // MARK: Catch-up step

    @Test func evaluateExpiresADayOrderBeforeLookingAtTheNextSessionsBar() {
        let order = F.order(.buy, .limit, limit: "100.00", submittedAt: Self.submitted)
        let nextSession = F.session(on: "2026-11-25")
        let bar = F.bar(at: nextSession.open, open: 99, high: 99, low: 99, close: 99)
        let decision = FillEngine.evaluate(order, bar: bar, session: nextSession, calendar: F.calendar)
        #expect(decision == .expire(.sessionClosed(session: MarketDate(iso: "2026-11-24")!, at: F.ny("2026-11-24", 16, 0))))
        let gtc = F.order(.buy, .limit, limit: "100.00", tif: .gtc, submittedAt: Self.submitted)
        #expect(FillEngine.evaluate(gtc, bar: bar, session: nextSession, calendar: F.calendar).fill?.price == 99)
    }
}
