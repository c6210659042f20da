import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// `POST /api/trading/paper/reset`: an admin puts an account back to a fresh start through the
/// ledger, and `mbt verify` still reconciles; anyone else is told there is no such route.
@Suite("Admin: paper account reset")
struct PaperResetRoutesTests {
    static let path = "/api/trading/paper/reset"

    /// Alice holds AAPL long, MSFT short and a call; rests a limit and a multi-leg limit.
    private func trade(_ app: TestApp.Fixture, token: String) async throws -> (limit: Int, combo: Int) {
        for body in [
            OrderRoutesTests.ticket("AAPL", "buy", "10"), OrderRoutesTests.ticket("MSFT", "sell", "3"),
            OrderRoutesTests.ticket(MultiLegRoutesTests.call, "buy", "2"),
        ] {
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(response.status == .created)
        }
        let limit = try await app.request(
            .post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "1", type: "limit", limit: "100"))
        let legs = [
            MultiLegRoutesTests.leg(MultiLegRoutesTests.put, "buy", "buy_to_open"),
            MultiLegRoutesTests.leg(MultiLegRoutesTests.call, "buy", "buy_to_open"),
        ]
        let combo = try await app.request(
            .post, "/api/trading/orders", token: token,
            body: #"{"qty":"1","order_type":"limit","limit_price":"1.50","legs":[\#(legs.joined(separator: ","))]}"#)
        return (try #require(try limit.json()["id"] as? Int), try #require(try combo.json()["id"] as? Int))
    }

    @Test func aResetLeavesAFreshAccountAndTheLedgerStillReconciles() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (alice, token) = try await app.user("alice")
            let (admin, adminToken) = try await app.user("root", role: .admin)
            let (limit, combo) = try await trade(app, token: token)

            let response = try await app.request(.post, Self.path, token: adminToken, body: #"{"user_name":"alice"}"#)
            #expect(response.status == .ok)
            contract.check(response, .post, Self.path)
            let body = try response.json()
            #expect(body["user_id"] as? Int == Int(alice.id) && body["user_name"] as? String == "alice")
            #expect(body["cash"] as? String == "100000.000000" && body["cash_before"] as? String != "100000.000000")
            #expect(Set(body["archived_positions"] as? [String] ?? []) == ["AAPL", "MSFT", MultiLegRoutesTests.call])
            #expect(Set(body["canceled_order_ids"] as? [Int] ?? []) == [limit, combo])

            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "100000.000000" && account["buying_power"] as? String == "100000.000000")
            let positions = try await app.request(.get, "/api/trading/positions", token: token).json()
            #expect((positions["positions"] as? [Any])?.isEmpty == true)
            let rested = try await app.request(.get, "/api/trading/orders/\(limit)", token: token).json()
            #expect(rested["status"] as? String == "canceled" && rested["reject_reason"] as? String == "canceled by the account reset")
            let parent = try await app.request(.get, "/api/trading/orders/\(combo)", token: token).json()
            #expect(parent["status"] as? String == "canceled")
            #expect((parent["legs"] as? [[String: Any]])?.map { $0["status"] as? String } == ["canceled", "canceled"])

            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.isEmpty, "\(report.violations)")
            try await expectAudit(app, userId: alice.id, actor: admin.id)

            // The archived lots are closed: a new purchase opens the only open lot.
            let bought = try await app.request(
                .post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "1"))
            #expect(bought.status == .created)
            let lots = try #require(try await app.request(.get, TaxRoutesTests.lots, token: token).json()["lots"] as? [[String: Any]])
            let open = lots.filter { $0["status"] as? String == "open" }
            #expect(open.count == 1 && open.first?["symbol"] as? String == "AAPL" && open.first?["qty"] as? String == "1.000000")
            let after = try await LedgerVerifier(database: app.database).verify()
            #expect(after.violations.isEmpty, "\(after.violations)")
        }
    }

    private func expectAudit(_ app: TestApp.Fixture, userId: Int64, actor: Int64) async throws {
        let rows = try await app.database.withConnection { db in
            try await db.select().columns("user_id", "actor_user_id").from("audit_log").where(
                "action", .equal, SQLBind("paper_account_reset")
            )
            .all().map { (try $0.decode(column: "user_id", as: Int64.self), try $0.decode(column: "actor_user_id", as: Int64.self)) }
        }
        #expect(rows.count == 1 && rows.first?.0 == userId && rows.first?.1 == actor)
        // The orders that archived the positions were placed by the admin, not the account's owner.
        let actors = try await app.database.withConnection { db in
            try await db.raw(
                """
                SELECT a.actor_user_id AS actor FROM audit_log a JOIN paper_orders o ON o.id = a.entity_id
                WHERE a.action = 'order_submitted' AND o.client_order_id LIKE 'reset:%'
                """
            ).all().map { try $0.decode(column: "actor", as: Int64.self) }
        }
        #expect(actors.count == 3 && actors.allSatisfy { $0 == actor })
    }

    @Test func anAccountIsNamedByItsIdAndCanBeResetTwice() async throws {
        try await TestApp.run { app in
            let (alice, token) = try await app.user("alice")
            let (_, adminToken) = try await app.user("root", role: .admin)
            _ = try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "5"))
            for _ in 0..<2 {
                let response = try await app.request(.post, Self.path, token: adminToken, body: #"{"user_id":\#(alice.id)}"#)
                #expect(response.status == .ok)
                #expect(try response.json()["cash"] as? String == "100000.000000")
            }
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.isEmpty, "\(report.violations)")
        }
    }

    @Test func anyoneButAnAdminIsToldThereIsNoSuchRoute() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            _ = try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "5"))
            let response = try await app.request(.post, Self.path, token: token, body: #"{"user_name":"alice"}"#)
            #expect(response.status == .notFound)
            #expect(try response.errorCode() == "not_found")
            let positions = try await app.request(.get, "/api/trading/positions", token: token).json()
            #expect((positions["positions"] as? [Any])?.count == 1)
            let anonymous = try await app.request(.post, Self.path, body: #"{"user_name":"alice"}"#)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test(arguments: [
        (#"{"user_name":"nobody"}"#, 404, "no user named nobody"),
        (#"{"user_id":987654}"#, 404, "no user with id 987654"),
        (#"{}"#, 422, "user_id or user_name is required"),
        (#"{"user_id":1,"user_name":"alice"}"#, 422, "not both"),
        (#"{"user_id":"x"}"#, 422, "user_id must be a whole number"),
        (#"{"user":"alice"}"#, 422, "unknown field user"),
        (#"not json"#, 400, "JSON object"),
    ])
    func aBadOrUnknownAccountIsRefusedInTheErrorShape(body: String, status: Int, message: String) async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            _ = try await app.user("alice")
            let (_, adminToken) = try await app.user("root", role: .admin)
            let response = try await app.request(.post, Self.path, token: adminToken, body: body)
            #expect(response.status.code == status)
            contract.check(response, .post, Self.path)
            let text = try response.errorMessage()
            #expect(text.contains(message), "\(text)")
        }
    }
}
