import Foundation
import MBTDomain
import PropertyBased
import Testing

@Suite("Combo pricing")
struct ComboPricingTests {
    typealias F = ComboFixtures

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let legs: [ComboLeg]
        let prices: [Decimal6]
        var qty: Decimal6 = 1
        let net: Decimal6
        let cash: Decimal6

        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(
            label: "bull call debit spread", legs: [F.buy(F.call(150)), F.sell(F.call(155))], prices: ["3.00", "1.20"], net: "1.80",
            cash: "-180"),
        Row(
            label: "bull put credit spread, 3 units", legs: [F.sell(F.put(145)), F.buy(F.put(140))], prices: ["2.10", "0.90"], qty: 3,
            net: "-1.20",
            cash: "360"),
        Row(
            label: "butterfly 1-2-1", legs: [F.buy(F.call(140)), F.sell(F.call(150), 2), F.buy(F.call(160))],
            prices: ["12.00", "5.00", "1.50"],
            net: "3.50", cash: "-350"),
        Row(
            label: "iron condor", legs: [F.buy(F.put(135)), F.sell(F.put(140)), F.sell(F.call(160)), F.buy(F.call(165))],
            prices: ["0.40", "1.10", "1.30", "0.55"], qty: 2, net: "-1.45", cash: "290"),
        Row(
            label: "buy-write: stock per share, call per share", legs: [F.buy("AAPL", 100), F.sell(F.call(155))],
            prices: ["100.00", "2.50"],
            qty: 2, net: "97.50", cash: "-19500"),
        Row(
            label: "closing a credit spread costs a debit", legs: [F.buy(F.put(145), close: true), F.sell(F.put(140), close: true)],
            prices: ["0.35", "0.10"], net: "0.25", cash: "-25"),
        Row(
            label: "mids to the micro", legs: [F.buy(F.call(150)), F.sell(F.call(155))], prices: ["3.005", "1.2025"], net: "1.8025",
            cash: "-180.25"),
    ]

    @Test(arguments: rows)
    func netPriceAndCash(_ row: Row) throws {
        let combo = F.combo(row.legs, qty: row.qty)
        let fill = try ComboPricing.fill(combo, legPrices: row.prices)
        #expect(fill.netPrice == row.net)
        #expect(fill.cashEffect == row.cash)
        #expect(fill.legPrices == row.prices)
    }

    static let vertical = [F.buy(F.call(150)), F.sell(F.call(155))]

    @Test func marketFillTakesEachLegsMid() throws {
        let quotes = [
            F.call(150): F.quote(F.call(150), bid: "2.90", ask: "3.10"),
            F.call(155): F.quote(F.call(155), bid: "1.15", ask: "1.26"),
        ]
        let fill = try ComboPricing.marketFill(F.combo(Self.vertical, qty: 2), quotes: quotes, now: F.now, maxAge: 60).get()
        #expect(fill.legPrices == ["3.00", "1.205"])
        #expect(fill.netPrice == "1.795")
        #expect(fill.cashEffect == "-359")
    }

    @Test func aLegWithoutAQuoteFailsTheComboNamingTheLeg() {
        let quotes = [F.call(150): F.quote(F.call(150), bid: "2.90", ask: "3.10")]
        let result = ComboPricing.marketFill(F.combo(Self.vertical), quotes: quotes, now: F.now, maxAge: 60)
        #expect(throws: ComboError(field: "legs[2]", "no quote for \(F.call(155)); try again when the market is quoting it")) {
            try result.get()
        }
    }

    @Test func aStaleOrCrossedLegFailsTheCombo() {
        let stale = [
            F.call(150): F.quote(F.call(150), bid: "2.90", ask: "3.10", at: F.now.addingTimeInterval(-120)),
            F.call(155): F.quote(F.call(155), bid: "1.15", ask: "1.26"),
        ]
        let crossed = [
            F.call(150): F.quote(F.call(150), bid: "2.90", ask: "3.10"),
            F.call(155): F.quote(F.call(155), bid: "1.30", ask: "1.26"),
        ]
        let staleError = ComboPricing.marketFill(F.combo(Self.vertical), quotes: stale, now: F.now, maxAge: 60)
        let crossedError = ComboPricing.marketFill(F.combo(Self.vertical), quotes: crossed, now: F.now, maxAge: 60)
        #expect(throws: ComboError.self) { try staleError.get() }
        #expect((try? staleError.get()) == nil)
        if case .failure(let error) = staleError { #expect(error.field == "legs[1]" && error.message.contains("stale")) }
        if case .failure(let error) = crossedError { #expect(error.field == "legs[2]" && error.message.contains("crossed")) }
    }

    /// Selling what was bought (every side reversed) receives exactly what buying paid, and cash
    /// always moves by −net × 100 × qty.
    @Test func reversingEverySideNegatesNetAndCash() async {
        let cents = Gen.int64(in: 1...50_000).array(of: 4)
        let ratios = Gen.int(in: 1...5).array(of: 4)
        await propertyCheck(input: cents, ratios, Gen.int(in: 2...4), Gen.int(in: 1...50)) { cents, ratios, count, qty in
            let strikes: [Decimal6] = [140, 145, 150, 155]
            let factor = ratios.prefix(count).reduce(0) { Self.gcd($0, $1) }
            let legs = (0..<count).map { index in
                index % 2 == 0
                    ? F.buy(F.call(strikes[index]), ratios[index] / factor) : F.sell(F.put(strikes[index]), ratios[index] / factor)
            }
            let reversed = legs.map { leg in
                leg.side == .buy ? F.sell(leg.symbol, leg.ratioQty) : F.buy(leg.symbol, leg.ratioQty)
            }
            let prices = cents.prefix(count).map { Decimal6(micros: $0 * 10_000) }
            let fill = try ComboPricing.fill(F.combo(legs, qty: Decimal6(qty)), legPrices: prices)
            let reverse = try ComboPricing.fill(F.combo(reversed, qty: Decimal6(qty)), legPrices: prices)
            #expect(reverse.netPrice == -fill.netPrice)
            #expect(reverse.cashEffect == -fill.cashEffect)
            #expect(fill.cashEffect == -(try fill.netPrice.multiplied(by: Int64(100 * qty))))
            #expect(fill.netPrice.micros % 10_000 == 0, "whole-cent leg prices net to whole cents")
        }
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
