import MBTDomain
import Testing

/// A holder's early exercise: the expiry's exercise outcome on any day and at any moneyness, for
/// long contracts only (docs/jobs.md, "Early exercise").
@Suite("Jobs: early option exercise")
struct OptionEarlyExerciseTests {
    typealias F = JobFixtures

    @Test func aLongCallBuysAndALongPutSellsAtTheStrikeEvenOutOfTheMoney() throws {
        let call = try OptionExpiry.exercise(F.option("AAPL260417C00150000", .long, 2), underlyingPrice: "140")
        #expect(call.rule == .exercise && call.optionClose.side == .sell && call.optionClose.price == 0)
        let bought = try #require(call.stockTrade)
        #expect(bought.symbol == "AAPL" && bought.side == .buy && bought.quantity == 200 && bought.price == 150)
        #expect(call.cashAmount == nil)
        #expect(call.explanation.contains("exercised early") && call.explanation.contains("bought 200 shares at 150.00"))
        let put = try OptionExpiry.exercise(F.option("AAPL260417P00150000", .long, 1), underlyingPrice: "140")
        let sold = try #require(put.stockTrade)
        #expect(sold.side == .sell && sold.quantity == 100 && sold.price == 150)
    }

    @Test func anIndexOptionSettlesItsIntrinsicValueInCash() throws {
        let outcome = try OptionExpiry.exercise(F.option("SPXW260417C05000000", .long, 1), underlyingPrice: "5012.5")
        #expect(outcome.rule == .cashSettlement && outcome.stockTrade == nil)
        #expect(outcome.optionClose.price == "12.5" && outcome.cashAmount == 1250)
    }

    @Test func shortsStockAndFractionsAreRefused() {
        #expect(throws: OptionExpiryError.notLong("AAPL260417C00150000")) {
            try OptionExpiry.exercise(F.option("AAPL260417C00150000", .short, 1), underlyingPrice: 150)
        }
        #expect(throws: OptionExpiryError.notAnOption("AAPL")) {
            try OptionExpiry.exercise(F.stock("AAPL", .long, 100), underlyingPrice: 150)
        }
        #expect(throws: OptionExpiryError.nonPositivePrice(0)) {
            try OptionExpiry.exercise(F.option("AAPL260417C00150000", .long, 1), underlyingPrice: 0)
        }
    }
}
