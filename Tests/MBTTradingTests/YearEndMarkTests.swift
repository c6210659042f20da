import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// Section 1256 year-end marks through `paper.eod_tax_recalc` (docs/jobs.md): an index option open
/// at the end of the year is deemed sold at its year-end price, and the gain of the next year is
/// counted from there, the same whether the rows were written by the post-fill hook or rebuilt.
@Suite("Section 1256 year-end mark")
struct YearEndMarkTests {
    typealias F = BarLoopFixture
    typealias J = JobTests

    static let lastDay = MarketDate(year: 2026, month: 12, day: 31)!
    static let spx = try! OptionSymbol(root: "SPX", expiry: MarketDate(year: 2027, month: 1, day: 15)!, right: .call, strike: 6000)
    static let equity = try! OptionSymbol(root: "AAPL", expiry: MarketDate(year: 2027, month: 1, day: 15)!, right: .call, strike: 150)
    static let december30 = lastDay.adding(days: -1).at(hour: 11, minute: 0)
    static let december31 = lastDay.at(hour: 15, minute: 0)
    static let january4 = MarketDate(year: 2027, month: 1, day: 4)!.at(hour: 11, minute: 0)

    static func quote(_ symbol: OptionSymbol, _ price: Decimal6, at instant: Date) -> Quote {
        Quote(symbol: symbol.description, bid: price, ask: price, bidSize: 1, askSize: 1, timestamp: instant)
    }

    static let quotes = [
        quote(spx, 40, at: december30), quote(spx, 55, at: december31), quote(spx, 50, at: january4),
        quote(equity, 5, at: december30), quote(equity, 7, at: december31),
    ]

    @Test func anIndexOptionOpenAtTheYearsEndIsMarkedOnceAndTheNextYearCountsFromTheMark() async throws {
        try await F.run(bars: [], quotes: Self.quotes) { f in
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let orders = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            f.clock.set(Self.december30)
            for symbol in [Self.spx, Self.equity] {
                _ = try await orders.submit(OrderRequest(symbol: symbol.description, side: .buy, quantity: 1, type: .market), for: f.user)
            }
            f.clock.set(Self.lastDay.at(hour: 17, minute: 35))
            let context = JobContext(
                database: f.database, marketData: f.marketData, calendar: NYSECalendar(), taxLedger: ledger, logger: TestDatabase.logger)
            let runner = JobRunner(context: context, owner: "t", leaseClock: f.clock)
            let run = try #require(J.ran(try await runner.run(.eodTaxRecalc, on: Self.lastDay)))
            #expect(run.status == .succeeded && run.accounts == 1, "\(run.error ?? "")")

            // The SPX call, bought at 40, is deemed sold at 55 on December 31: 1,500 of 2026 gain, 60/40.
            // The AAPL call is an equity option: not marked.
            let marks = try await TaxLotStore(database: f.database).rows(userId: f.user.id).dispositions.values
            #expect(marks.count == 1)
            let mark = try #require(marks.first)
            #expect(mark.kind == .markToMarket && mark.gain == 1_500 && mark.disposed == Self.lastDay)
            #expect(mark.classification?.longTermGain == 900 && mark.classification?.shortTermGain == 600)

            // Again: nothing more.
            let again = try #require(J.ran(try await runner.run(.eodTaxRecalc, on: Self.lastDay, force: true)))
            #expect(again.rowsWritten == 0)

            // Sold at 50 in January: a 2027 loss of 500 from the marked 55, through the post-fill hook.
            f.clock.set(Self.january4)
            _ = try await orders.submit(OrderRequest(symbol: Self.spx.description, side: .sell, quantity: 1, type: .market), for: f.user)
            let sales = try await TaxLotStore(database: f.database).rows(userId: f.user.id).dispositions.values.filter { $0.kind == .sale }
            #expect(sales.map(\.gain) == [-500])
            let recalc = try await ledger.recalc(userId: f.user.id)
            #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0, "the hook's rows equal a rebuild with the mark")
        }
    }
}
