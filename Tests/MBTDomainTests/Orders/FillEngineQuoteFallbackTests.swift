import Foundation
import MBTDomain
import Testing

/// Resting orders judged on the latest quote when no bar is available.
@Suite("Fill engine: quote fallback")
struct FillEngineQuoteFallbackTests {
    typealias F = OrderFixtures

    static let submitted = F.ny("2026-11-24", 10, 0)
    static let now = F.ny("2026-11-24", 10, 30)

    static func onQuote(_ order: RestingOrder, _ quote: Quote, now: Date = now) -> FillDecision {
        FillEngine.onQuote(order, quote: quote, now: now, session: F.session(at: now))
    }

    @Test(
        arguments: [
            // Buy limit 100: ask ≤ L fills at the ask.
            (OrderSide.buy, Decimal6("99.90"), Decimal6("99.95"), Decimal6?.some("99.95"), FillPriceSource.ask),
            (.buy, "99.95", "100.00", "100.00", .ask),
            (.buy, "100.00", "100.05", nil, .ask),
            // Sell limit 100: bid ≥ L fills at the bid.
            (.sell, "100.05", "100.10", "100.05", .bid),
            (.sell, "100.00", "100.10", "100.00", .bid),
            (.sell, "99.99", "100.10", nil, .bid),
        ])
    func limitAgainstTheLatestQuote(side: OrderSide, bid: Decimal6, ask: Decimal6, expected: Decimal6?, source: FillPriceSource) {
        let order = F.order(side, .limit, limit: "100.00", submittedAt: Self.submitted)
        let decision = Self.onQuote(order, F.quote(bid: bid, ask: ask, at: Self.now))
        if let expected {
            #expect(decision.fill?.price == expected)
            #expect(decision.fill?.priceSource == source)
            #expect(decision.fill?.rule == .limitQuoteFallback)
        } else {
            #expect(decision == .rest)
        }
    }

    @Test func optionLimitsUseTheMid() {
        let order = F.order(.option(F.put), .sell, .limit, limit: "3.00", quantity: 1, submittedAt: Self.submitted)
        let decision = Self.onQuote(order, F.quote(F.put.description, bid: "2.90", ask: "3.20", at: Self.now))
        #expect(decision.fill?.price == "3.05")
        #expect(decision.fill?.priceSource == .mid)
    }

    @Test func unusableQuotesAndClosedMarketsLeaveOrdersResting() {
        let order = F.order(.buy, .limit, limit: "100.00", submittedAt: Self.submitted)
        #expect(Self.onQuote(order, F.quote(bid: "99", ask: "99.5", at: Self.now.addingTimeInterval(-120))) == .rest)
        #expect(Self.onQuote(order, F.quote(bid: "99.6", ask: "99.5", at: Self.now)) == .rest)
        #expect(Self.onQuote(order, F.quote("MSFT", bid: "99", ask: "99.5", at: Self.now)) == .rest)
        let evening = F.ny("2026-11-24", 18, 0)
        #expect(Self.onQuote(order, F.quote(bid: "99", ask: "99.5", at: evening), now: evening) == .rest)
    }

    @Test func restingMarketOrderFallsBackToTheQuoteInSession() {
        let order = F.order(.buy, .market, submittedAt: F.ny("2026-11-23", 18, 0))
        let fill = Self.onQuote(order, F.quote(at: Self.now)).fill
        #expect(fill?.price == "100.10")
        #expect(fill?.rule == .marketAtQuote)
        #expect(Self.onQuote(order, F.quote(at: Self.now.addingTimeInterval(-3600))) == .rest)
    }

    @Test func iocOrdersNeverRest() {
        let order = F.order(.buy, .limit, limit: "100.00", tif: .ioc, submittedAt: Self.submitted)
        #expect(Self.onQuote(order, F.quote(at: Self.now)) == .cancel(.immediateOrderResting))
    }
}
