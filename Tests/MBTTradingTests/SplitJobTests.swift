import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// `paper.stock_split_adjustment` through the runner: positions, cash in lieu, tax lots and
/// resting orders rescaled once, through the ledger's one writer (docs/jobs.md).
@Suite("Split job")
struct SplitJobTests {
    typealias F = BarLoopFixture
    typealias J = JobTests

    /// A 1-for-3 reverse split of AAPL effective Monday; Friday closed at 155.20.
    static let reverse = CorporateAction.split(id: "split-1", symbol: "AAPL", newRate: 1, oldRate: 3, exDate: J.monday)

    static func context(_ f: F, ledger: TaxLedger) -> JobContext {
        JobContext(database: f.database, marketData: f.marketData, calendar: NYSECalendar(), taxLedger: ledger, logger: TestDatabase.logger)
    }

    @Test func aReverseSplitRescalesPositionsPaysCashInLieuAndAdjustsRestingOrdersOnce() async throws {
        try await F.run(bars: J.closingBars, quotes: J.quotes, actions: [Self.reverse]) { f in
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let service = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            let short = try await UserStore(database: f.database).create(name: "shorty", at: F.friday10).user
            _ = try await service.submit(OrderRequest(symbol: "AAPL", side: .buy, quantity: 100, type: .market), for: f.user)  // at 155.00
            _ = try await service.submit(OrderRequest(symbol: "AAPL", side: .sell, quantity: 10, type: .market), for: short)
            let buyLimit = try await f.rest(.buy, 10, "AAPL", limit: "150.00", tif: .gtc)
            let sellLimit = try await f.rest(.sell, 5, "AAPL", limit: "160.00", tif: .gtc)
            let tooSmall = try await f.rest(.buy, 2, "AAPL", limit: "100.00", tif: .gtc)
            let accounts = AccountStore(database: f.database)
            let longCash = try await accounts.account(ofUser: f.user.id).cashBalance
            let shortCash = try await accounts.account(ofUser: short.id).cashBalance

            f.clock.set(J.monday.at(hour: 7, minute: 5))
            let runner = JobRunner(context: Self.context(f, ledger: ledger), owner: "t", leaseClock: f.clock)
            let run = try #require(J.ran(try await runner.run(.stockSplitAdjustment, on: J.monday)))
            #expect(run.status == .succeeded && run.accounts == 2, "\(run.error ?? "")")

            // 100 shares → 33 at 465.00, and one old share (a third of a new one) paid at 155.20.
            let long = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(long.map(\.quantity) == [33] && long.first?.averageCost == 465)
            #expect(try await accounts.account(ofUser: f.user.id).cashBalance == longCash + "155.20")
            // Short 10 → 3 (3.333333), the third of a share bought back in lieu, charged 155.20.
            let shortPosition = try await PositionStore(database: f.database).openPositions(userId: short.id)
            #expect(shortPosition.map(\.quantity) == [3] && shortPosition.first?.side == .short && shortPosition.first?.averageCost == 465)
            #expect(try await accounts.account(ofUser: short.id).cashBalance == shortCash - "155.20")

            // Resting orders: replaced rescaled (buys down, sells up), or canceled when nothing is left.
            let orders = try await OrderStore(database: f.database).list(userId: f.user.id, filter: .init(), limit: 50, before: nil)
            let replacedBuy = try #require(orders.first { $0.replacesOrderId == buyLimit.id })
            #expect(replacedBuy.quantity == 3 && replacedBuy.limitPrice == 450 && replacedBuy.status.isOpen)
            let replacedSell = try #require(orders.first { $0.replacesOrderId == sellLimit.id })
            #expect(replacedSell.quantity == 1 && replacedSell.limitPrice == 480)
            #expect(try await f.order(buyLimit.id).status == .canceled)
            let canceled = try await f.order(tooSmall.id)
            #expect(canceled.status == .canceled && (canceled.rejectReason ?? "").contains("1-for-3 split"))

            // A forced re-run changes nothing.
            let again = try #require(J.ran(try await runner.run(.stockSplitAdjustment, on: J.monday, force: true)))
            #expect(again.status == .succeeded && again.rowsWritten == 0)
            #expect(try await PositionStore(database: f.database).openPositions(userId: f.user.id).map(\.quantity) == [33])
            #expect(try await accounts.account(ofUser: f.user.id).cashBalance == longCash + "155.20")
            let open = try await OrderStore(database: f.database).list(userId: f.user.id, filter: .init(), limit: 50, before: nil).filter(
                \.status.isOpen)
            #expect(open.count == 2)

            // Positions equal their fills, the lots were rescaled (basis kept, less the fraction sold), and
            // the incremental tax rows equal a rebuild.
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
            let lots = try await TaxLotStore(database: f.database).rows(userId: f.user.id).lots.values.filter(\.isOpen)
            #expect(lots.map(\.remainingQuantity) == [33])
            #expect(lots.first.map { $0.remainingBasis > 15_344 && $0.remainingBasis < 15_346 } == true)
            for user in [f.user.id, short.id] {
                let recalc = try await ledger.recalc(userId: user)
                #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0, "the incremental tax rows equal a rebuild")
            }
        }
    }

    @Test func aForwardSplitOfAWholePositionPaysNothingInLieu() async throws {
        let forward = CorporateAction.split(id: "split-2", symbol: "AAPL", newRate: 4, oldRate: 1, exDate: J.monday)
        try await F.run(bars: J.closingBars, quotes: J.quotes, actions: [forward]) { f in
            try await J.buy("AAPL", 25, f)
            let cash = try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance
            f.clock.set(J.monday.at(hour: 7, minute: 5))
            let run = try #require(J.ran(try await J.runner(f).run(.stockSplitAdjustment, on: J.monday)))
            #expect(run.status == .succeeded && run.rowsWritten == 1)
            let positions = try await PositionStore(database: f.database).openPositions(userId: f.user.id)
            #expect(positions.map(\.quantity) == [100] && positions.first?.averageCost == "38.75")
            #expect(try await AccountStore(database: f.database).account(ofUser: f.user.id).cashBalance == cash)
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }

    @Test func aSplitWithoutAPreviousCloseFailsThoseAccountsAndWritesNothing() async throws {
        try await F.run(bars: [], quotes: J.quotes, actions: [Self.reverse]) { f in
            try await J.buy("AAPL", 30, f)
            f.clock.set(J.monday.at(hour: 7, minute: 5))
            let run = try #require(J.ran(try await J.runner(f).run(.stockSplitAdjustment, on: J.monday)))
            #expect(run.status == .failed && (run.error ?? "").contains("no close before 2026-03-23"))
            #expect(try await PositionStore(database: f.database).openPositions(userId: f.user.id).map(\.quantity) == [30])
        }
    }
}
