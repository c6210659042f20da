import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// `paper.retention_purge`: history past the owner's tier leaves the API but stays for `mbt
/// verify` and the tax engine (docs/jobs.md).
@Suite("Retention purge")
struct RetentionPurgeJobTests {
    typealias F = BarLoopFixture
    typealias J = JobTests

    @Test func finishedHistoryPastTheTierLeavesTheAPIButNotTheLedger() async throws {
        try await F.run(bars: J.closingBars, quotes: J.quotes) { f in
            let pro = try await UserStore(database: f.database).create(name: "pro", tier: .pro, at: F.friday10).user
            let service = OrderService(database: f.database, marketData: f.marketData)
            for user in [f.user, pro] {
                _ = try await service.submit(OrderRequest(symbol: "AAPL", side: .buy, quantity: 10, type: .market), for: user)
                _ = try await service.submit(OrderRequest(symbol: "AAPL", side: .sell, quantity: 10, type: .market), for: user)
            }
            let resting = try await f.rest(.buy, 1, "AAPL", limit: "1.00", tif: .gtc)
            let orders = OrderStore(database: f.database)
            let filled = try #require(try await orders.list(userId: f.user.id, filter: .init(), limit: 10, before: nil).last)

            // 91 days on: the free user's finished orders and closed position go; the open order,
            // and the pro user's history, stay.
            let later = J.friday.adding(days: 91)
            f.clock.set(later.at(hour: 2, minute: 5))
            let run = try #require(J.ran(try await J.runner(f).run(.retentionPurge, on: later)))
            #expect(run.status == .succeeded && run.rowsWritten == 3)  // two orders, one position
            #expect(try await orders.list(userId: f.user.id, filter: .init(), limit: 10, before: nil).map(\.id) == [resting.id])
            #expect(try await orders.order(id: filled.id, userId: f.user.id) == nil)
            #expect(try await orders.list(userId: pro.id, filter: .init(), limit: 10, before: nil).count == 2)
            let activities = try await ActivityStore(database: f.database).page(userId: f.user.id, filter: .init(), limit: 10, before: nil)
            #expect(activities.isEmpty)

            // Soft-deleted rows still reconcile; the same day again purges nothing more.
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
            let again = try #require(J.ran(try await J.runner(f).run(.retentionPurge, on: later, force: true)))
            #expect(again.rowsWritten == 0)
            let deleted = try await f.database.withConnection { db in
                try await db.raw("SELECT COUNT(*) AS n FROM paper_orders WHERE deleted_at IS NOT NULL").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect(deleted == 2)
        }
    }
}
