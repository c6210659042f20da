import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

@Suite("Group commit of new orders")
struct GroupCommitTests {
    typealias F = BarLoopFixture

    @Test("many concurrent orders of several accounts: each account fills exactly what its cash allows, the rest are refused")
    func concurrentOrdersNeverOverspend() async throws {
        let quotes = [Quote(symbol: "AAPL", bid: "100.00", ask: "100.02", bidSize: 1, askSize: 1, timestamp: F.friday10)]
        try await F.run(bars: [], quotes: quotes, startingBalance: 5_000) { f in
            let users = [f.user] + [
                try await UserStore(database: f.database).create(name: "second", startingBalance: 5_000, at: F.friday10).user,
                try await UserStore(database: f.database).create(name: "third", startingBalance: 5_000, at: F.friday10).user,
            ]
            let ledger = TaxLedger(database: f.database, logger: TestDatabase.logger)
            let service = OrderService(database: f.database, marketData: f.marketData, postFillHook: ledger)
            let results = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
                for index in 0..<30 {
                    let user = users[index % users.count]
                    group.addTask {
                        do {
                            _ = try await service.submit(OrderRequest(symbol: "AAPL", side: .buy, quantity: 10, type: .market), for: user)
                            return (user.id, true)
                        } catch TradingError.rejected(let order, let rejection) {
                            #expect(order.status == .rejected)
                            #expect(rejection.code == .insufficientBuyingPower)
                            return (user.id, false)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for user in users {
                // 4 × 1,000.20 fits in 5,000; a fifth does not.
                #expect(results.filter { $0.0 == user.id && $0.1 }.count == 4)
                let account = try await AccountStore(database: f.database).account(ofUser: user.id)
                #expect(account.cashBalance == "999.200000")
                #expect(try await PositionStore(database: f.database).openPositions(userId: user.id).first?.quantity == 40)
                let recalc = try await ledger.recalc(userId: user.id)
                #expect(recalc.rowsWritten == 0 && recalc.rowsDeleted == 0)
            }
            #expect(try await LedgerVerifier(database: f.database).verify().violations.isEmpty)
        }
    }
}
