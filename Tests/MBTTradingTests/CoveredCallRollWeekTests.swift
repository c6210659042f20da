import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// A covered-call program rolled mid-week, through an expiry week run by the job scheduler: the
/// Friday call is bought back on Wednesday by the strategy's lot method and an April call sold, so
/// Friday's expiry (which would have assigned the old call: AAPL closes at 162) leaves the shares
/// and the new call, and the ledger and tax rows agree (docs/multi-leg.md, docs/jobs.md).
@Suite("A covered-call roll through an expiry week")
struct CoveredCallRollWeekTests {
    typealias W = SimulatedWeekTests

    static let wednesday10 = W.monday10.addingTimeInterval(2 * 86_400)
    static let april = try! OptionSymbol(root: "AAPL", expiry: MarketDate(year: 2026, month: 4, day: 17)!, right: .call, strike: 165)

    @Test func theRolledCallSurvivesExpiryFridayAndTheSharesStay() async throws {
        let quotes = [
            Quote(symbol: "AAPL", bid: "157.00", ask: "157.00", bidSize: 1, askSize: 1, timestamp: Self.wednesday10),
            Quote(symbol: W.call.description, bid: "1.40", ask: "1.60", bidSize: 1, askSize: 1, timestamp: Self.wednesday10),
            Quote(symbol: Self.april.description, bid: "3.90", ask: "4.10", bidSize: 1, askSize: 1, timestamp: Self.wednesday10),
        ]
        try await TestDatabase.withFresh { database in
            let clock = ManualClock(W.monday.at(hour: 0, minute: 30))
            let market = ReplayMarket(recording: W.recording(extraQuotes: quotes), clock: clock)
            let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger)
            let marketData = MarketDataService(provider: market, clock: clock, accessLog: accessLog)
            let ledger = TaxLedger(database: database, logger: TestDatabase.logger)
            let user = try await UserStore(database: database).create(name: "trader", startingBalance: 100_000, at: clock.now()).user
            let orders = OrderService(database: database, marketData: marketData, postFillHook: ledger)
            let strategy = try await StrategyStore(database: database).create(
                userId: user.id, name: "AAPL calls", kind: .lcc, defaultTaxLotMethod: nil,
                coveredCall: .init(underlying: "AAPL", lotMethod: .lifo), at: clock.now())
            let scheduler = JobScheduler(
                runner: JobRunner(
                    context: JobContext(
                        database: database, marketData: marketData, calendar: NYSECalendar(), taxLedger: ledger,
                        logger: TestDatabase.logger),
                    owner: "week", leaseClock: clock))
            func runJobs(until end: Date) async throws {
                var now = clock.now()
                while now < end {
                    now = min(now.addingTimeInterval(30 * 60), end)
                    clock.set(now)
                    try await scheduler.runDue(at: now)
                }
            }

            try await runJobs(until: W.monday10)
            for (symbol, side, quantity) in [("AAPL", OrderSide.buy, 100), (W.call.description, .sell, 1)] {
                let submitted = try await orders.submit(
                    OrderRequest(symbol: symbol, side: side, quantity: Decimal6(quantity), type: .market), strategyId: strategy.id,
                    for: user)
                guard case .created(let order) = submitted, order.status == .filled else { throw W.TestFailure("\(symbol) did not fill") }
            }
            try await runJobs(until: Self.wednesday10)
            let rolled = try await CoveredCallRoll(orders: orders).roll(
                strategy, symbol: nil, to: Self.april.expiry, target: .strike(165), for: user)
            #expect(rolled.close.status == .filled && rolled.close.fillPrice == "1.5")
            #expect(rolled.open.status == .filled && rolled.open.symbol == Self.april.description && rolled.open.fillPrice == "4")
            try await runJobs(until: W.monday.adding(days: 5).at(hour: 0, minute: 30))

            let positions = try await PositionStore(database: database).openPositions(userId: user.id)
                .map { "\($0.symbol) \($0.side.rawValue) \($0.quantity)" }.sorted()
            #expect(positions == ["AAPL long 100.000000", "\(Self.april) short 1.000000"])
            // 100,000 − 15,500 + 200 (Friday call) + 25 (dividend) − 150 (bought back) + 400 (April call).
            #expect(try await AccountStore(database: database).account(ofUser: user.id).cashBalance == 84_975)
            let tax = try await TaxLotStore(database: database).rows(userId: user.id)
            let methods = try await database.withConnection { db in
                try await db.raw("SELECT lot_method FROM tax_lot_dispositions").all().map {
                    try $0.decode(column: "lot_method", as: String.self)
                }
            }
            #expect(methods == ["lifo"])
            #expect(tax.dispositions.values.reduce(Decimal6.zero) { $0 + $1.gain } == 50)
            #expect(try await LedgerVerifier(database: database).verify().violations.isEmpty)
            let recalc = try await ledger.recalc(userId: user.id)
            #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0, "the tax rows equal a rebuild from the fills")
        }
    }
}
