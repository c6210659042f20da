import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// The daily jobs through their runner, on a replayed market: each job-date runs once across
/// runners, a re-run changes nothing, and every account change reconciles (docs/jobs.md).
@Suite("Daily jobs")
struct JobTests {
    typealias F = BarLoopFixture

    static let friday = MarketDate(year: 2026, month: 3, day: 20)!
    static let monday = MarketDate(year: 2026, month: 3, day: 23)!
    static let call = try! OptionSymbol(root: "AAPL", expiry: friday, right: .call, strike: 150)
    static let put = try! OptionSymbol(root: "AAPL", expiry: friday, right: .put, strike: 140)

    static let quotes = [
        Quote(symbol: "AAPL", bid: "155.00", ask: "155.00", bidSize: 1, askSize: 1, timestamp: F.friday10),
        Quote(symbol: call.description, bid: "5.00", ask: "5.00", bidSize: 1, askSize: 1, timestamp: F.friday10),
        Quote(symbol: put.description, bid: "0.50", ask: "0.50", bidSize: 1, askSize: 1, timestamp: F.friday10),
    ]
    /// Friday's last half hour of AAPL, closing at 155.20.
    static let closingBars = F.bars("AAPL", from: F.fridayClose.addingTimeInterval(-30 * 60), minutes: 30, price: "155.20")

    static func runner(_ f: F, owner: String = "test") -> JobRunner {
        let context = JobContext(
            database: f.database, marketData: f.marketData, calendar: NYSECalendar(), taxLedger: TaxLedger(database: f.database, logger: TestDatabase.logger),
            logger: TestDatabase.logger)
        return JobRunner(context: context, owner: owner, leaseClock: f.clock)
    }

    static func buy(_ symbol: String, _ quantity: Decimal6, side: OrderSide = .buy, _ f: F, user: User? = nil) async throws {
        let service = OrderService(database: f.database, marketData: f.marketData)
        _ = try await service.submit(OrderRequest(symbol: symbol, side: side, quantity: quantity, type: .market), for: user ?? f.user)
    }

    static func ran(_ outcome: JobRunner.Outcome) -> JobRunStore.Run? {
        if case .ran(let run) = outcome { return run }
        return nil
    }

    static func count(_ table: String, _ f: F) async throws -> Int {
        try await f.database.withConnection { db in try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    @Test func aJobDateRunsOnceAcrossRunnersAndAgainOnlyWhenForced() async throws {
        try await F.run(bars: Self.closingBars, quotes: Self.quotes) { f in
            try await Self.buy("AAPL", 10, f)
            f.clock.set(F.fridayClose.addingTimeInterval(3600))
            let outcomes = try await withThrowingTaskGroup(of: JobRunner.Outcome.self) { group in
                for owner in ["a", "b", "c"] { group.addTask { try await Self.runner(f, owner: owner).run(.eodSnapshot, on: Self.friday) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.compactMap(Self.ran).count == 1)
            #expect(try await Self.count("mbt_eod_snapshots", f) == 1)
            guard case .skipped(let done?) = try await Self.runner(f).run(.eodSnapshot, on: Self.friday) else {
                Issue.record("a finished job-date ran again without force")
                return
            }
            #expect(done.status == .succeeded && done.accounts == 1 && done.rowsWritten == 1)
            let forced = try #require(Self.ran(try await Self.runner(f).run(.eodSnapshot, on: Self.friday, force: true)))
            #expect(forced.status == .succeeded && forced.rowsWritten == 0)
            #expect(try await Self.count("mbt_eod_snapshots", f) == 1)
        }
    }

    @Test func aRunWhoseOwnerDiedIsTakenOverOnceItsLeaseLapses() async throws {
        try await F.run(bars: Self.closingBars, quotes: Self.quotes) { f in
            f.clock.set(F.fridayClose.addingTimeInterval(3600))
            let runs = JobRunStore(database: f.database)
            let now = f.clock.now()
            _ = try await runs.claim(job: DailyJob.eodSnapshot.rawValue, date: "2026-03-20", owner: "dead", now: now, leaseUntil: now.addingTimeInterval(30))
            guard case .skipped = try await Self.runner(f).run(.eodSnapshot, on: Self.friday) else {
                Issue.record("a run with a current lease was taken over")
                return
            }
            f.clock.set(now.addingTimeInterval(31))
            let run = try #require(Self.ran(try await Self.runner(f).run(.eodSnapshot, on: Self.friday)))
            #expect(run.owner == "test" && run.status == .succeeded)
        }
    }

    @Test func theSnapshotMarksPositionsAtTheClose() async throws {
        try await F.run(bars: Self.closingBars, quotes: Self.quotes, startingBalance: 10_000) { f in
            try await Self.buy("AAPL", 10, f)  // at 155.00
            f.clock.set(F.fridayClose.addingTimeInterval(3600))
            _ = try await Self.runner(f).run(.eodSnapshot, on: Self.friday)
            let history = try await SnapshotStore(database: f.database).history(userId: f.user.id, from: Self.friday, through: Self.friday)
            let snapshot = try #require(history.first)
            #expect(snapshot.cash == 8_450)
            #expect(snapshot.equity == 10_002)  // 8,450 + 10 × 155.20
            let positions = try JSONSerialization.jsonObject(with: Data(snapshot.positionsJSON.utf8)) as? [[String: String]]
            #expect(positions?.first?["mark"] == "155.200000")
            #expect(positions?.first?["mark_source"] == "last bar close")
        }
    }

    @Test func dividendsCreditLongsAndDebitShortsOnceAndReconcile() async throws {
        let dividend = CorporateAction.cashDividend(id: "div-1", symbol: "AAPL", rate: "0.25", exDate: Self.monday, payableDate: nil)
        try await F.run(bars: [], quotes: Self.quotes, actions: [dividend]) { f in
            let short = try await UserStore(database: f.database).create(name: "shorty", at: F.friday10).user
            try await Self.buy("AAPL", 40, f)
            try await Self.buy("AAPL", 10, side: .sell, f, user: short)
            let before = try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance
            let shortBefore = try await AccountStore(database: f.database).account(ofUser: short.id).cashBalance
            f.clock.set(Self.monday.at(hour: 7, minute: 5))
            let run = try #require(Self.ran(try await Self.runner(f).run(.dividendAdjustment, on: Self.monday)))
            #expect(run.status == .succeeded && run.accounts == 2 && run.rowsWritten == 2)
            _ = try await Self.runner(f).run(.dividendAdjustment, on: Self.monday, force: true)
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == before + 10)
            #expect(try await AccountStore(database: f.database).account(ofUser: short.id).cashBalance == shortBefore - "2.50")
            #expect(try await Self.count("cash_movements", f) == 2)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func expiryExercisesAssignsAndExpiresThroughTheLedger() async throws {
        try await F.run(bars: Self.closingBars, quotes: Self.quotes, startingBalance: 50_000) { f in
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let service = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            _ = try await service.submit(OrderRequest(symbol: Self.call.description, side: .buy, quantity: 2, type: .market), for: f.user)
            _ = try await service.submit(OrderRequest(symbol: Self.put.description, side: .sell, quantity: 1, type: .market), for: f.user)
            let cash = try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance
            f.clock.set(F.fridayClose.addingTimeInterval(15 * 60))
            let context = JobContext(database: f.database, marketData: f.marketData, calendar: NYSECalendar(), taxLedger: ledger, logger: TestDatabase.logger)
            let run = try #require(Self.ran(try await JobRunner(context: context, owner: "t", leaseClock: f.clock).run(.assignmentAtExpiry, on: Self.friday)))
            #expect(run.status == .succeeded && run.rowsWritten == 2)
            // The calls (5.20 in the money) are exercised: 200 shares bought at 150; the put expires.
            let positions = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(positions.map(\.symbol) == ["AAPL"])
            #expect(positions.first?.quantity == 200 && positions.first?.averageCost == 150)
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == cash - 30_000)
            let orders = try await OrderStore(database: f.database).list(userId: f.user.id, filter: .init(), limit: 10, before: nil)
            #expect(orders.first { $0.symbol == Self.put.description && $0.side == .buy }?.status == .expired)
            #expect(orders.filter { $0.status == .filled }.count == 4)
            // The user's two orders are audited as submitted and filled; the job's three settlement
            // orders (the calls' exercise, its shares, the put's expiry) by their fill alone.
            let audits = try await f.database.withConnection { db in
                try await db.select().columns("entity_id", "action").from("audit_log").where("user_id", .equal, SQLBind(f.user.id))
                    .where("entity_type", .equal, SQLBind("paper_order")).all()
                    .map { (try $0.decode(column: "entity_id", as: Int64.self), try $0.decode(column: "action", as: String.self)) }
            }
            let actions = Dictionary(grouping: audits, by: \.0).mapValues { $0.map(\.1).sorted() }
            let submittedAtClose = Set(orders.filter { $0.submittedAt == F.fridayClose }.map(\.id))
            #expect(submittedAtClose.count == 3 && orders.count == 5)
            for order in orders {
                #expect(actions[order.id] == (submittedAtClose.contains(order.id) ? ["order_filled"] : ["order_filled", "order_submitted"]))
            }
            // Run again: nothing left to settle.
            let again = try #require(Self.ran(try await JobRunner(context: context, owner: "t", leaseClock: f.clock).run(.assignmentAtExpiry, on: Self.friday, force: true)))
            #expect(again.rowsWritten == 0)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
            // The premium went into the shares' basis (Pub 550): 200 × 150 + 2 × 100 × 5.00 = 31,000.
            let lots = try await TaxLotStore(database: f.database).rows(userId: f.user.id).lots.values
            #expect(lots.first { $0.symbol == "AAPL" && $0.isOpen }?.remainingBasis == 31_000)
            let recalc = try await ledger.recalc(userId: f.user.id)
            #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0, "the incremental tax rows equal a rebuild")
        }
    }
}
