import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// A week of a real account's life through every daily job, run once by the scheduler on a moving
/// market clock and once job-date by job-date as `mbt jobs run` does: buy stock, sell a covered
/// call, buy a put, hold through a dividend, a split and expiry Friday. Both end the same, `mbt
/// verify` is clean and the tax rows equal a rebuild from the fills (docs/jobs.md).
@Suite("A simulated week of daily jobs")
struct SimulatedWeekTests {
    /// Monday 2026-03-16, 10:00 New York; the AAPL March monthlies expire on Friday the 20th.
    static let monday10 = BarLoopFixture.friday10.addingTimeInterval(-4 * 86_400)
    static let monday = MarketDate(year: 2026, month: 3, day: 16)!
    static let friday = MarketDate(year: 2026, month: 3, day: 20)!
    static let call = try! OptionSymbol(root: "AAPL", expiry: friday, right: .call, strike: 160)
    static let put = try! OptionSymbol(root: "AAPL", expiry: friday, right: .put, strike: 150)

    static let recording = recording(extraQuotes: [])

    /// The week's bars, quotes and corporate actions, with `extraQuotes` besides.
    static func recording(extraQuotes: [Quote]) -> ReplayRecording {
        let aaplCloses: [Decimal6] = [155, 156, 157, 158, 162]
        let msftCloses: [Decimal6] = [400, 402, 268, 270, 271]
        var bars: [Bar] = []
        for day in 0..<5 {
            let close = monday10.addingTimeInterval(Double(day) * 86_400 + 6 * 3600)
            bars += BarLoopFixture.bars("AAPL", from: close.addingTimeInterval(-30 * 60), minutes: 30, price: aaplCloses[day])
            bars += BarLoopFixture.bars("MSFT", from: close.addingTimeInterval(-30 * 60), minutes: 30, price: msftCloses[day])
        }
        let quotes = [
            Quote(symbol: "AAPL", bid: "155.00", ask: "155.00", bidSize: 1, askSize: 1, timestamp: monday10),
            Quote(symbol: "MSFT", bid: "400.00", ask: "400.00", bidSize: 1, askSize: 1, timestamp: monday10),
            Quote(symbol: call.description, bid: "2.00", ask: "2.00", bidSize: 1, askSize: 1, timestamp: monday10),
            Quote(symbol: put.description, bid: "1.50", ask: "1.50", bidSize: 1, askSize: 1, timestamp: monday10),
        ]
        let actions: [CorporateAction] = [
            .cashDividend(id: "aapl-div", symbol: "AAPL", rate: "0.25", exDate: monday.adding(days: 1), payableDate: nil),
            .split(id: "msft-split", symbol: "MSFT", newRate: 3, oldRate: 2, exDate: monday.adding(days: 2)),
        ]
        return ReplayRecording(quotes: quotes + extraQuotes, bars: bars, corporateActions: actions)
    }

    /// What the week left, in a form two databases can be compared by.
    struct Outcome: Equatable {
        var positions: [String]
        var cash: Decimal6
        var openLots: [String]
        var realized: Decimal6
        var dispositions: Int
        var snapshots: [String]
        var cashMovements: Int
        var succeededRuns: Int
    }

    enum Driver {
        case scheduler
        /// Two schedulers on one database, as two `serve` processes: the claims decide.
        case twoSchedulers
        case jobByJob
    }

    @Test func oneSchedulerTwoSchedulersAndTheCommandLineEndTheWeekAlike() async throws {
        let scheduled = try await Self.week(.scheduler)
        let byHand = try await Self.week(.jobByJob)
        #expect(scheduled == byHand)
        let twice = try await Self.week(.twoSchedulers)
        #expect(twice == scheduled, "two schedulers ran each job-date once")
        // MSFT 30 at 400 became 45 at 266.666667; the covered call was assigned at 160 (Friday closed
        // at 162), taking the AAPL shares; the put expired.
        #expect(scheduled.positions == ["MSFT long 45.000000 @ 266.666667"])
        // 100,000 − 15,500 − 12,000 + 200 − 150 + 25 (dividend) + 16,000 (assignment).
        #expect(scheduled.cash == 88_575)
        #expect(scheduled.openLots == ["MSFT 45.000000 basis 12000.000000"])
        // AAPL: bought 15,500, sold 16,000 + the call's 200 premium; the put's 150 premium lost.
        #expect(scheduled.realized == 550)
        #expect(scheduled.snapshots.count == 5)
        #expect(scheduled.cashMovements == 1)
    }

    static func week(_ driver: Driver) async throws -> Outcome {
        try await TestDatabase.withFresh { database in
            let clock = ManualClock(monday.at(hour: 0, minute: 30))
            let market = ReplayMarket(recording: recording, clock: clock)
            let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger)
            let marketData = MarketDataService(provider: market, clock: clock, accessLog: accessLog)
            let ledger = TaxLedger(database: database, logger: TestDatabase.logger)
            let user = try await UserStore(database: database).create(name: "trader", startingBalance: 100_000, at: clock.now()).user
            let context = JobContext(
                database: database, marketData: marketData, calendar: NYSECalendar(), taxLedger: ledger, logger: TestDatabase.logger)
            let runner = JobRunner(context: context, owner: "week", leaseClock: clock)
            var traded = false
            func trade(before instant: Date) async throws {
                guard !traded, instant > monday10 else { return }
                traded = true
                clock.set(monday10)
                let orders = OrderService(database: database, marketData: marketData, postFillHook: ledger)
                for (symbol, side, quantity) in [
                    ("AAPL", OrderSide.buy, 100), ("MSFT", .buy, 30), (call.description, .sell, 1), (put.description, .buy, 1),
                ] {
                    guard
                        case .created(let order) = try await orders.submit(
                            OrderRequest(symbol: symbol, side: side, quantity: Decimal6(quantity), type: .market), for: user)
                    else { throw TestFailure("\(symbol) was not created") }
                    #expect(order.status == .filled, "\(symbol): \(order.rejectReason ?? "")")
                }
            }
            let saturday = monday.adding(days: 5).at(hour: 0, minute: 30)
            switch driver {
            case .scheduler, .twoSchedulers:
                let first = JobScheduler(runner: runner)
                let second = JobScheduler(runner: JobRunner(context: context, owner: "other", leaseClock: clock))
                var now = clock.now()
                while now < saturday {
                    now = now.addingTimeInterval(30 * 60)
                    try await trade(before: now)
                    clock.set(now)
                    if driver == .twoSchedulers {
                        let instant = now
                        async let a = first.runDue(at: instant)
                        async let b = second.runDue(at: instant)
                        _ = try await (a, b)
                    } else {
                        try await first.runDue(at: now)
                    }
                }
            case .jobByJob:
                for run in DailyJob.due(from: clock.now(), through: saturday, calendar: NYSECalendar()) {
                    try await trade(before: run.at)
                    clock.set(run.at)
                    _ = try await runner.run(run.job, on: run.date)
                }
            }
            #expect(try await LedgerVerifier(database: database).verify().violations.isEmpty)
            let recalc = try await ledger.recalc(userId: user.id)
            #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0, "the tax rows equal a rebuild from the fills")
            return try await outcome(of: user.id, database)
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func outcome(of userId: Int64, _ database: any DatabaseClient) async throws -> Outcome {
        let positions = try await PositionStore(database: database).openPositions(userId: userId)
            .map { "\($0.symbol) \($0.side.rawValue) \($0.quantity) @ \($0.averageCost)" }.sorted()
        let cash = try await AccountStore(database: database).account(ofUser: userId).cashBalance
        let tax = try await TaxLotStore(database: database).rows(userId: userId)
        let lots = tax.lots.values.filter(\.isOpen).map { "\($0.symbol) \($0.remainingQuantity) basis \($0.remainingBasis)" }.sorted()
        let realized = tax.dispositions.values.reduce(Decimal6.zero) { $0 + $1.gain }
        let snapshots = try await SnapshotStore(database: database).history(userId: userId, from: monday, through: friday)
            .map { "\($0.date) \($0.cash) \($0.equity)" }
        let counts = try await database.withConnection { db in
            (
                try await db.raw("SELECT COUNT(*) AS n FROM cash_movements").first()?.decode(column: "n", as: Int.self) ?? 0,
                try await db.raw("SELECT COUNT(*) AS n FROM job_runs WHERE status = 'succeeded'").first()?.decode(column: "n", as: Int.self)
                    ?? 0,
                try await db.raw("SELECT COUNT(*) AS n FROM job_runs").first()?.decode(column: "n", as: Int.self) ?? 0
            )
        }
        #expect(counts.1 == counts.2, "every job-date of the week succeeded")
        return Outcome(
            positions: positions, cash: cash, openLots: lots, realized: realized, dispositions: tax.dispositions.count,
            snapshots: snapshots,
            cashMovements: counts.0, succeededRuns: counts.1)
    }
}
