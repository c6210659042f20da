import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// `mbt verify` finds nothing wrong in a ledger the engine wrote, and catches each kind of damage.
@Suite("Ledger verification")
struct LedgerVerifierTests {
    private func trade(_ app: TestApp.Fixture) async throws {
        let (_, alice) = try await app.user("alice")
        let (_, bob) = try await app.user("bob")
        for (token, body) in [
            (alice, OrderRoutesTests.ticket("AAPL", "buy", "10")), (alice, OrderRoutesTests.ticket("AAPL", "sell", "4")),
            (alice, OrderRoutesTests.ticket("MSFT", "sell", "3")), (bob, OrderRoutesTests.ticket("MSFT", "buy", "2.5")),
            (bob, OrderRoutesTests.ticket("AAPL", "buy", "1", type: "limit", limit: "100")),
        ] {
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(response.status == .created)
        }
    }

    @Test func aLedgerTheEngineWroteReconciles() async throws {
        try await TestApp.run { app in
            try await trade(app)
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.isEmpty, "\(report.violations)")
            #expect(report.accountsChecked == 2)
            #expect(report.fillsChecked == 4)
        }
    }

    @Test func catchesCashThatDoesNotMatchTheFills() async throws {
        try await TestApp.run { app in
            try await trade(app)
            let user = try await UserStore(database: app.database).user(named: "bob")
            try await app.database.withConnection { db in
                try await db.update("paper_accounts").set("cash_balance", to: SQLBind(StoredDecimal("123.45")))
                    .where("user_id", .equal, SQLBind(user?.id)).run()
            }
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.count == 1)
            #expect(report.violations.first?.message.contains("cash is 123.450000") == true)
        }
    }

    @Test func catchesAFillFiledUnderAnotherUser() async throws {
        try await TestApp.run { app in
            try await trade(app)
            let alice = try #require(try await UserStore(database: app.database).user(named: "alice"))
            let bob = try #require(try await UserStore(database: app.database).user(named: "bob"))
            try await app.database.withConnection { db in
                try await db.raw("UPDATE paper_fills SET user_id = \(bind: bob.id) WHERE user_id = \(bind: alice.id)").run()
            }
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.count == 3, "\(report.violations)")
            #expect(report.violations.allSatisfy { $0.userId == alice.id && $0.message.contains("names user \(bob.id) but its order is theirs") })
        }
    }

    @Test func catchesOpenOrderTotalsThatDoNotAddUpTheOpenOrders() async throws {
        try await TestApp.run { app in
            try await trade(app)
            let bob = try #require(try await UserStore(database: app.database).user(named: "bob"))
            try await app.database.withConnection { db in
                try await db.update("paper_open_order_totals").set("qty", to: SQLBind(StoredDecimal(3))).run()
                try await db.insert(into: "paper_open_order_totals").columns("user_id", "symbol", "side", "limit_price", "qty")
                    .values(SQLBind(bob.id), SQLBind("MSFT"), SQLBind("sell"), SQLBind(StoredDecimal(0)), SQLBind(StoredDecimal(2))).run()
            }
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(
                report.violations.map(\.description) == [
                    "user \(bob.id): open buy orders of AAPL at 100.000000 total 3.000000 in paper_open_order_totals but 1.000000 in paper_orders",
                    "user \(bob.id): open sell orders of MSFT at market total 2.000000 in paper_open_order_totals but 0.000000 in paper_orders",
                ])
        }
    }

    @Test func catchesAPositionThatDoesNotMatchItsFills() async throws {
        try await TestApp.run { app in
            try await trade(app)
            try await app.database.withConnection { db in
                try await db.update("paper_positions").set("qty", to: SQLBind(StoredDecimal(7))).where("symbol", .equal, SQLBind("AAPL")).run()
            }
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.contains { $0.message.contains("position AAPL is 7.000000 but its fills add up to 6.000000") })
        }
    }

    @Test func catchesAFilledOrderWithoutItsFillAndAFillTwice() async throws {
        try await TestApp.run { app in
            try await trade(app)
            try await app.database.withConnection { db in
                let fill = try await db.select().columns("paper_order_id", "user_id", "fill_qty", "fill_price", "ts").from("paper_fills").first()
                let row = try #require(fill)
                try await db.insert(into: "paper_fills").columns("paper_order_id", "user_id", "fill_qty", "fill_price", "ts")
                    .values(
                        SQLBind(try row.decode(column: "paper_order_id", as: Int64.self)), SQLBind(try row.decode(column: "user_id", as: Int64.self)),
                        SQLBind(StoredDecimal(try row.decimal("fill_qty"))),
                        SQLBind(StoredDecimal(try row.decimal("fill_price"))), SQLBind(StoredTimestamp(try row.timestamp("ts")))
                    ).run()
                try await db.update("paper_orders").set("status", to: SQLBind("filled")).where("status", .equal, SQLBind("accepted")).run()
            }
            let messages = try await LedgerVerifier(database: app.database).verify().violations.map(\.message)
            #expect(messages.contains { $0.contains("is filled with 2 fill(s)") })
            #expect(messages.contains { $0.contains("is filled with 0 fill(s)") })
        }
    }
}
