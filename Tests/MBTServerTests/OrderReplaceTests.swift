import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Orders: replace (PATCH)")
struct OrderReplaceTests {
    static let orders = "/api/trading/orders"

    /// Places a buy limit (170 rests against the 172.60 / 172.70 quote) and returns its id.
    static func rest(_ app: TestApp.Fixture, token: String, qty: String = "5", limit: String = "170") async throws -> Int {
        let placed = try await app.request(
            .post, orders, token: token, body: OrderRoutesTests.ticket("AAPL", "buy", qty, type: "limit", limit: limit))
        #expect(placed.status == .created)
        #expect(try placed.json()["status"] as? String == "accepted")
        return try #require(try placed.json()["id"] as? Int)
    }

    static func order(_ app: TestApp.Fixture, token: String, _ id: Int) async throws -> [String: Any] {
        try await app.request(.get, "\(orders)/\(id)", token: token).json()
    }

    /// Rows that a refused request must not have added to.
    static func rowCounts(_ app: TestApp.Fixture) async throws -> [Int] {
        try await app.database.withConnection { db in
            var counts: [Int] = []
            for table in ["paper_orders", "paper_fills", "audit_log"] {
                counts.append(
                    try await db.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(table).first()?
                        .decode(column: "n", as: Int.self) ?? -1)
            }
            return counts
        }
    }

    @Test func replacingARestingOrderCancelsItAndLinksTheNewOne() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let old = try await Self.rest(app, token: token)
            let response = try await app.request(
                .patch, "\(Self.orders)/\(old)", token: token, body: #"{"qty":"3","limit_price":"171","time_in_force":"gtc"}"#)
            #expect(response.status == .ok)
            let new = try response.json()
            let newId = try #require(new["id"] as? Int)
            #expect(newId != old)
            #expect(new["status"] as? String == "accepted")
            #expect(new["qty"] as? String == "3.000000")
            #expect(new["limit_price"] as? String == "171.000000")
            #expect(new["time_in_force"] as? String == "gtc")
            #expect(new["symbol"] as? String == "AAPL" && new["side"] as? String == "buy" && new["order_type"] as? String == "limit")
            #expect(new["replaces_order_id"] as? Int == old)
            #expect(new["replaced_by_order_id"] == nil)

            let replaced = try await Self.order(app, token: token, old)
            #expect(replaced["status"] as? String == "canceled")
            #expect(replaced["reject_reason"] as? String == "replaced by order \(newId)")
            #expect(replaced["replaced_by_order_id"] as? Int == newId)
            let open = try await app.request(.get, "\(Self.orders)?status=accepted", token: token).json()["orders"] as? [[String: Any]]
            #expect(open?.map { $0["id"] as? Int } == [newId])
            let actions = try await app.database.withConnection { db in
                try await db.select().column("action").from("audit_log").where("entity_type", .equal, SQLBind("paper_order"))
                    .where("entity_id", .equal, SQLBind(Int64(old)))
                    .all().map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions.sorted() == ["order_replaced", "order_submitted"])
            #expect(try await app.request(.get, "/api/trading/account", token: token).json()["cash"] as? String == "100000.000000")
        }
    }

    @Test func aReplacementThatIsNowMarketableFillsAtOnce() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let old = try await Self.rest(app, token: token)
            let response = try await app.request(.patch, "\(Self.orders)/\(old)", token: token, body: #"{"limit_price":"173"}"#)
            #expect(response.status == .ok)
            let new = try response.json()
            #expect(new["status"] as? String == "filled")
            #expect(new["fill_price"] as? String == "172.700000")
            #expect(new["qty"] as? String == "5.000000")
            #expect(try await Self.order(app, token: token, old)["status"] as? String == "canceled")
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "99136.500000")
            let positions = try await app.request(.get, "/api/trading/positions", token: token).json()["positions"] as? [[String: Any]]
            #expect(positions?.first?["qty"] as? String == "5.000000")
        }
    }

    @Test func aRestingMarketOrderTakesNoLimitPriceAndFillsWhenReplacedInTheSession() async throws {
        try await TestApp.run { app in
            let (user, token) = try await app.user("alice")
            // A market order accepted outside the session waits for the open; the test clock is inside one.
            let waiting = try await app.database.withConnection { db in
                try await OrderStore(database: app.database).insert(
                    OrderStore.NewOrder(
                        userId: user.id, symbol: "AAPL", assetClass: .usEquity, side: .buy, quantity: 1, type: .market,
                        timeInForce: .day, limitPrice: nil, status: .accepted, submittedAt: TestApp.now.addingTimeInterval(-86_400)),
                    on: db)
            }
            let path = "\(Self.orders)/\(waiting.id)"
            let withLimit = try await app.request(.patch, path, token: token, body: #"{"limit_price":"170"}"#)
            #expect(withLimit.status == .unprocessableContent)
            #expect(try withLimit.errorCode() == "unexpected_limit_price")
            #expect(try await app.request(.patch, path, token: token, body: #"{"time_in_force":"gtc"}"#).status == .unprocessableContent)
            let replaced = try await app.request(.patch, path, token: token, body: #"{"qty":"2"}"#)
            #expect(replaced.status == .ok)
            #expect(try replaced.json()["status"] as? String == "filled")
            #expect(try replaced.json()["qty"] as? String == "2.000000")
        }
    }

    @Test func filledCanceledAndReplacedOrdersCannotBeReplaced() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let filled = try #require(
                try await app.request(.post, Self.orders, token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "1")).json()["id"]
                    as? Int)
            let canceled = try await Self.rest(app, token: token)
            try await app.request(.delete, "\(Self.orders)/\(canceled)", token: token)
            let replaced = try await Self.rest(app, token: token)
            #expect(try await app.request(.patch, "\(Self.orders)/\(replaced)", token: token, body: #"{"qty":"2"}"#).status == .ok)

            let before = try await Self.rowCounts(app)
            for id in [filled, canceled, replaced] {
                let response = try await app.request(.patch, "\(Self.orders)/\(id)", token: token, body: #"{"qty":"3"}"#)
                #expect(response.status == .conflict, "order \(id)")
                #expect(try response.errorCode() == "conflict")
            }
            #expect(try await Self.rowCounts(app) == before)
        }
    }

    @Test func aReplaceRacingACancelHasExactlyOneWinner() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for round in 0..<10 {
                let id = try await Self.rest(app, token: token)
                let path = "\(Self.orders)/\(id)"
                // The replace does more work before its transaction than the cancel; staggering the
                // cancel by up to a few milliseconds lets each side win some rounds.
                async let replace = app.request(.patch, path, token: token, body: #"{"limit_price":"169"}"#)
                async let cancel: TestResponse = {
                    try await Task.sleep(for: .microseconds(round * 400))
                    return try await app.request(.delete, path, token: token)
                }()
                let (replaced, canceled) = try await (replace, cancel)
                let statuses = [replaced.status, canceled.status]
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                #expect(statuses.filter { $0 == .conflict }.count == 1, "round \(round): \(statuses)")
                let old = try await Self.order(app, token: token, id)
                #expect(old["status"] as? String == "canceled")
                if replaced.status == .ok {
                    #expect(old["replaced_by_order_id"] as? Int == (try replaced.json()["id"] as? Int))
                } else {
                    #expect(old["reject_reason"] as? String == "canceled by user")
                    #expect(old["replaced_by_order_id"] == nil)
                }
            }
            // Exactly the replacements that won are open; every original is closed.
            let open =
                try await app.request(.get, "\(Self.orders)?status=accepted&limit=100", token: token).json()["orders"] as? [[String: Any]]
            let replacements = try await app.database.withConnection { db in
                try await db.select().column("id").from("paper_orders").where("replaces_order_id", .isNot, SQLLiteral.null).all().count
            }
            #expect(open?.count == replacements)
            #expect(open?.allSatisfy { $0["replaces_order_id"] != nil } == true)
        }
    }

    @Test func twoReplacesOfOneOrderHaveExactlyOneWinner() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for round in 0..<10 {
                let id = try await Self.rest(app, token: token)
                let path = "\(Self.orders)/\(id)"
                async let first = app.request(.patch, path, token: token, body: #"{"limit_price":"168"}"#)
                async let second = app.request(.patch, path, token: token, body: #"{"limit_price":"169"}"#)
                let statuses = try await [first.status, second.status]
                #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict], "round \(round): \(statuses)")
            }
            let replacements = try await app.database.withConnection { db in
                try await db.select().column("id").from("paper_orders").where("replaces_order_id", .isNot, SQLLiteral.null).all().count
            }
            #expect(replacements == 10)
        }
    }

    @Test func aRefusedReplacementIsStoredRejectedAndTheOldOrderStaysOpen() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let old = try await Self.rest(app, token: token, qty: "1")
            let response = try await app.request(.patch, "\(Self.orders)/\(old)", token: token, body: #"{"qty":"1000"}"#)
            #expect(response.status == .unprocessableContent)
            let body = try response.json()
            #expect((body["error"] as? [String: Any])?["code"] as? String == "insufficient_buying_power")
            let refused = try #require(body["order"] as? [String: Any])
            #expect(refused["status"] as? String == "rejected")
            #expect(refused["replaces_order_id"] as? Int == old)
            let kept = try await Self.order(app, token: token, old)
            #expect(kept["status"] as? String == "accepted")
            #expect(kept["replaced_by_order_id"] == nil)
        }
    }

    @Test(arguments: [
        ("{}", 422),
        (#"{"symbol":"MSFT"}"#, 422),
        (#"{"side":"sell","qty":"2"}"#, 422),
        (#"{"order_type":"market"}"#, 422),
        (#"{"client_order_id":"x"}"#, 422),
        (#"{"colour":"red"}"#, 422),
        (#"{"limit_price":null}"#, 422),
        (#"{"qty":"0"}"#, 422),
        (#"{"qty":"-1"}"#, 422),
        (#"{"limit_price":"170.001"}"#, 422),
        (#"{"limit_price":"99999999"}"#, 422),
        (#"{"qty":2}"#, 422),
        (#"{"qty":"1.1234567"}"#, 422),
        (#"{"time_in_force":"forever"}"#, 422),
        ("[]", 400),
        ("not json", 400),
    ])
    func badBodiesAre4xxAndWriteNothing(body: String, status: Int) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let id = try await Self.rest(app, token: token)
            let before = try await Self.rowCounts(app)
            let response = try await app.request(.patch, "\(Self.orders)/\(id)", token: token, body: body)
            #expect(response.status.code == status, "\(body): \(String(buffer: response.body))")
            _ = try response.errorCode()
            #expect(try await Self.rowCounts(app) == before)
            #expect(try await Self.order(app, token: token, id)["status"] as? String == "accepted")
        }
    }

    @Test func anotherUsersOrIdUnknownOrderIsNotFound() async throws {
        try await TestApp.run { app in
            let (_, alice) = try await app.user("alice")
            let (_, bob) = try await app.user("bob")
            let id = try await Self.rest(app, token: alice)
            let before = try await Self.rowCounts(app)
            for path in ["\(Self.orders)/\(id)", "\(Self.orders)/999999", "\(Self.orders)/abc", "\(Self.orders)/0"] {
                let response = try await app.request(.patch, path, token: bob, body: #"{"qty":"2"}"#)
                #expect(response.status == .notFound, "\(path)")
                #expect(try response.errorCode() == "not_found")
                #expect(!String(buffer: response.body).contains("AAPL"))
            }
            #expect(try await Self.rowCounts(app) == before)
            #expect(try await Self.order(app, token: alice, id)["status"] as? String == "accepted")
        }
    }

    @Test func theNewOrdersKillSwitchRefusesReplaces() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let id = try await Self.rest(app, token: token)
            app.environment["MBT_NEW_ORDERS_DISABLED"] = "1"
            let response = try await app.request(.patch, "\(Self.orders)/\(id)", token: token, body: #"{"qty":"2"}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(try response.errorCode() == "new_orders_disabled")
            #expect(try await app.request(.delete, "\(Self.orders)/\(id)", token: token).status == .ok)
        }
    }
}
