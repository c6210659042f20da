import MBTDomain
import PropertyBased
import Testing

/// Rounding (half-even to six decimals, once per fill) never creates or loses a micro-unit when
/// a lot's basis is spread over partial sales.
@Suite("Tax money allocation")
struct ProRataTests {
    /// A lot of awkward size sold off in awkward pieces: the proceeds and bases of the pieces add
    /// up exactly to what was paid and received.
    @Test func partialSalesAddUpExactly() async {
        let pieces = Gen.int64(in: 1...3_000_000).array(of: 1...12)
        await propertyCheck(input: Gen.int64(in: 1...999_999_999), pieces, Gen.int64(in: 1...999_999_999)) { price, pieces, sale in
            let total = pieces.reduce(0, +)
            var trades = TaxTrades()
            trades.add("2025-01-02", .buy, "PR", Decimal6(micros: total), Decimal6(micros: price), fees: "0.07")
            for piece in pieces { trades.add("2025-03-03", .sell, "PR", Decimal6(micros: piece), Decimal6(micros: sale), fees: "0.03") }
            let state = try trades.run()
            let paid = try Decimal6(micros: price).multiplied(by: Decimal6(micros: total)) + "0.07"
            let basis = state.dispositions.reduce(Decimal6.zero) { $0 + $1.basis }
            #expect(basis == paid)
            #expect(state.openLots.isEmpty)
        }
    }

    /// A loss split over many replacement lots disallows exactly the loss, never a micro-unit more.
    @Test func disallowedSlicesAddUpToTheLoss() async {
        let buys = Gen.int64(in: 1...5_000_000).array(of: 1...10)
        await propertyCheck(input: Gen.int64(in: 10_000_000...99_999_999), buys) { price, buys in
            let sold = buys.reduce(0, +)
            var trades = TaxTrades()
            trades.add("2025-01-02", .buy, "PR", Decimal6(micros: sold), Decimal6(micros: price))
            trades.add("2025-02-03", .sell, "PR", Decimal6(micros: sold), "3.333333")
            for buy in buys { trades.add("2025-02-04", .buy, "PR", Decimal6(micros: buy), "3") }
            let state = try trades.run()
            let sale = state.dispositions[0]
            #expect(sale.washSaleDisallowed == .zero - sale.gainBeforeWashSale)
            #expect(state.openLots.reduce(Decimal6.zero) { $0 + $1.washSaleAdjustment } == sale.washSaleDisallowed)
        }
    }
}
