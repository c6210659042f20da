import Foundation
import MBTDomain
import PropertyBased
import Testing

/// Whatever the market does, a limit order never trades through its limit.
@Suite("Fill engine: limit properties")
struct FillEnginePropertyTests {
    typealias F = OrderFixtures

    static let submitted = F.ny("2026-11-24", 10, 0)
    static let now = F.ny("2026-11-24", 10, 5)
    static let session = F.session(on: "2026-11-24")
    static let cents = Gen.int64(in: 1...20_000)
    static let excursion = Gen.int64(in: 0...500)
    /// Bit 0: sell; bit 1: option; bit 2: strict bar rule.
    static let flags = Gen.int(in: 0...7)

    static func price(_ cents: Int64) -> Decimal6 { Decimal6(micros: cents * 10_000) }

    @Test func limitNeverFillsThroughItsLimit() async {
        await propertyCheck(
            input: Self.cents, Self.cents, Self.cents, Self.excursion, Self.excursion, Self.cents, Self.excursion, Self.flags
        ) {
            limitCents, openCents, closeCents, up, down, bidCents, spread, flags in
            let side: OrderSide = flags & 1 == 0 ? .buy : .sell
            let instrument: OrderInstrument = flags & 2 == 0 ? .equity(F.stock) : .option(F.call)
            let settings = FillSettings(touchFills: flags & 4 == 0)
            let limit = Self.price(limitCents)
            let order = F.order(instrument, side, .limit, limit: limit, submittedAt: Self.submitted)

            let high = max(openCents, closeCents) + up
            let low = max(1, min(openCents, closeCents) - down)
            let bar = F.bar(
                instrument.symbol, at: Self.now, open: Self.price(openCents), high: Self.price(high), low: Self.price(low),
                close: Self.price(closeCents))
            let quote = F.quote(instrument.symbol, bid: Self.price(bidCents), ask: Self.price(bidCents + spread), at: Self.now)

            let decisions = [
                FillEngine.onSubmit(order, quote: quote, now: Self.now, session: Self.session, settings: settings),
                FillEngine.onBar(order, bar: bar, session: Self.session, settings: settings),
                FillEngine.onQuote(order, quote: quote, now: Self.now, session: Self.session, settings: settings),
            ]
            for decision in decisions {
                guard case .fill(let fill) = decision else { continue }
                let withinLimit = side == .buy ? fill.price <= limit : fill.price >= limit
                #expect(withinLimit, "\(side) limit \(limit) filled at \(fill.price) by \(fill.rule)")
                #expect(fill.price.isPositive)
            }
        }
    }

    /// The bar rule is the touch/strict rule exactly: a fill happens iff the bar reaches the limit.
    @Test func barFillsExactlyWhenTheBarReachesTheLimit() async {
        await propertyCheck(input: Self.cents, Self.cents, Self.cents, Self.excursion, Self.excursion, Self.flags) {
            limitCents, openCents, closeCents, up, down, flags in
            let side: OrderSide = flags & 1 == 0 ? .buy : .sell
            let touch = flags & 4 == 0
            let limit = Self.price(limitCents)
            let high = Self.price(max(openCents, closeCents) + up)
            let low = Self.price(max(1, min(openCents, closeCents) - down))
            let bar = F.bar(at: Self.now, open: Self.price(openCents), high: high, low: low, close: Self.price(closeCents))
            let order = F.order(side, .limit, limit: limit, submittedAt: Self.submitted)
            let decision = FillEngine.onBar(order, bar: bar, session: Self.session, settings: FillSettings(touchFills: touch))
            let reached =
                switch (side, touch) {
                case (.buy, true): low <= limit
                case (.buy, false): low < limit
                case (.sell, true): high >= limit
                case (.sell, false): high > limit
                }
            #expect((decision.fill != nil) == reached)
            if let fill = decision.fill {
                let expected = side == .buy ? min(limit, bar.open) : max(limit, bar.open)
                #expect(fill.price == expected)
            }
        }
    }
}
