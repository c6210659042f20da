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

@Suite("Group commit when the database dies")
struct GroupCommitFailureTests {
    typealias F = BarLoopFixture

    /// PostgreSQL drops every connection again and again while 60 orders are in flight: each gets an
    /// answer (filled, or `ledger_unavailable` to send again), nothing hangs, the ledger reconciles,
    /// and once the database is back new orders fill (SQLite runs in-process: nothing to cut).
    @Test func everyOrderIsAnsweredAndNewOrdersFillAfterward() async throws {
        guard TestDatabase.dialect == .postgres else { return }
        try await TestDatabase.withFresh { database, url in
            let clock = ManualClock(F.friday10)
            let quotes = [Quote(symbol: "AAPL", bid: "100.00", ask: "100.02", bidSize: 1, askSize: 1, timestamp: F.friday10)]
            let market = ReplayMarket(recording: ReplayRecording(quotes: quotes, bars: []), clock: clock)
            let accessLog = AccessLogBuffer(recorder: MarketDataAccessLogStore(database: database), logger: TestDatabase.logger)
            let marketData = MarketDataService(provider: market, clock: clock, accessLog: accessLog)
            let user = try await UserStore(database: database).create(name: "trader", at: F.friday10).user
            let service = OrderService(database: database, marketData: marketData)
            let order = OrderRequest(symbol: "AAPL", side: .buy, quantity: 1, type: .market)

            let cutter = Task {
                var ended = 0
                for _ in 0..<15 {
                    ended += (try? await TestDatabase.terminateConnections(url)) ?? 0
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return ended
            }
            let answers = await withTaskGroup(of: String.self) { group in
                for _ in 0..<60 {
                    group.addTask {
                        do {
                            _ = try await Deadline.race(.seconds(30)) { try await service.submit(order, for: user) }
                            return "filled"
                        } catch TradingError.ledgerUnavailable {
                            return "unavailable"
                        } catch is DeadlineExceeded {
                            return "no answer in 30 s"
                        } catch {
                            // Reading the account before the group may meet the dead connection too.
                            return DatabaseFailure.isUnavailable(error) ? "unavailable" : "other: \(String(reflecting: error))"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(await cutter.value > 0, "the test cut no connection")
            #expect(answers.count == 60)
            #expect(answers.allSatisfy { $0 == "filled" || $0 == "unavailable" }, "\(Dictionary(grouping: answers, by: { $0 }).mapValues(\.count))")

            var after: OrderService.Submission?
            for _ in 0..<20 where after == nil {
                after = try? await Deadline.race(.seconds(15)) { try await service.submit(order, for: user) }
                if after == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            guard case .created(let placed) = try #require(after) else { Issue.record("no new order"); return }
            #expect(placed.status == .filled)
            let filled = try await OrderStore(database: database).list(userId: user.id, filter: .init(status: .filled), limit: 500, before: nil)
            // Every order answered filled is stored. One answered unavailable may be stored too, if the
            // connection died between the server's commit and its reply: sending it again with its
            // client_order_id is what makes that safe.
            let answeredFilled = answers.filter { $0 == "filled" }.count + 1
            #expect(filled.count >= answeredFilled && filled.count <= 61, "\(filled.count) stored, \(answeredFilled) answered filled")
            #expect(try await LedgerVerifier(database: database).verify().violations.isEmpty)
        }
    }
}
