import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

/// `/api/strategies`: create, list, read, change and delete one's own strategies; orders name them
/// with `strategy_id`, and a strategy's lot method decides which lots its orders' sales close.
@Suite("Strategies")
struct StrategyRoutesTests {
    @Test func aStrategyIsCreatedChangedListedAndDeletedByItsOwnerOnly() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, alice) = try await app.user("alice")
            let (_, bob) = try await app.user("bob")
            let created = try await app.request(
                .post, "/api/strategies", token: alice,
                body: #"{"name":"AAPL calls","kind":"lcc","lcc":{"underlying":"aapl","default_tax_lot_method":"hifo"}}"#)
            #expect(created.status == .created)
            contract.check(created, .post, "/api/strategies")
            let strategy = try created.json()
            let id = try #require(strategy["id"] as? Int)
            #expect((strategy["lcc"] as? [String: Any])?["underlying"] as? String == "AAPL")
            #expect((strategy["lcc"] as? [String: Any])?["roll_days_before_expiry"] as? Int == 7)

            let changed = try await app.request(
                .patch, "/api/strategies/\(id)", token: alice, body: #"{"name":"AAPL covered calls","lcc":{"roll_days_before_expiry":3}}"#)
            contract.check(changed, .patch, "/api/strategies/{id}")
            let lcc = try #require(try changed.json()["lcc"] as? [String: Any])
            #expect(lcc["roll_days_before_expiry"] as? Int == 3 && lcc["default_tax_lot_method"] as? String == "hifo")

            let list = try await app.request(.get, "/api/strategies", token: alice)
            contract.check(list, .get, "/api/strategies")
            #expect((try list.json()["strategies"] as? [[String: Any]])?.map { $0["name"] as? String } == ["AAPL covered calls"])
            #expect(try await app.request(.get, "/api/strategies/\(id)", token: bob).status == .notFound)
            #expect(try await app.request(.delete, "/api/strategies/\(id)", token: bob).status == .notFound)
            #expect((try await app.request(.get, "/api/strategies", token: bob).json()["strategies"] as? [Any])?.isEmpty == true)

            let deleted = try await app.request(.delete, "/api/strategies/\(id)", token: alice)
            contract.check(deleted, .delete, "/api/strategies/{id}")
            #expect(try await app.request(.get, "/api/strategies/\(id)", token: alice).status == .notFound)
        }
    }

    @Test(arguments: [
        (#"{"kind":"custom"}"#, 422, "name is required"),
        (#"{"name":" padded"}"#, 422, "name must be 1 to 64 characters"),
        (#"{"name":"x","kind":"lcc"}"#, 422, "an lcc strategy needs lcc"),
        (#"{"name":"x","lcc":{"underlying":"AAPL"}}"#, 422, "lcc settings belong to an lcc strategy only"),
        (
            #"{"name":"x","kind":"lcc","lcc":{"underlying":"AAPL","roll_days_before_expiry":99}}"#, 422,
            "lcc.roll_days_before_expiry must be"
        ),
        (#"{"name":"x","kind":"lcc","lcc":{"underlying":"AAPL","colour":1}}"#, 422, "unknown field lcc.colour"),
        (#"{"name":"x","default_tax_lot_method":"specific_id"}"#, 422, "default_tax_lot_method must be fifo, lifo or hifo"),
        (#"{"name":"x","kind":"butterfly"}"#, 422, "kind must be custom, iron_condor or lcc"),
    ])
    func aBadStrategyIsRefusedNamingTheField(body: String, status: Int, message: String) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/strategies", token: token, body: body)
            #expect(response.status.code == status)
            let text = try response.errorMessage()
            #expect(text.contains(message), "\(text)")
        }
    }

    @Test func aSecondStrategyOfTheSameNameIsAConflict() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            #expect(try await app.request(.post, "/api/strategies", token: token, body: #"{"name":"wheel"}"#).status == .created)
            let again = try await app.request(.post, "/api/strategies", token: token, body: #"{"name":"wheel"}"#)
            let text = try again.errorMessage()
            #expect(again.status == .conflict && text.contains("already have a strategy named wheel"))
        }
    }

    @Test func anOrdersStrategyDecidesWhichLotsItsSaleCloses() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let (_, bob) = try await app.user("bob")
            let lifo = try await app.request(
                .post, "/api/strategies", token: token, body: #"{"name":"lifo","default_tax_lot_method":"lifo"}"#)
            let id = try #require(try lifo.json()["id"] as? Int)
            let bobs = try await app.request(.post, "/api/strategies", token: bob, body: #"{"name":"mine"}"#)
            let bobId = try #require(try bobs.json()["id"] as? Int)
            // Two lots, then a sale in the strategy: LIFO closes the second.
            for client in ["a", "b"] {
                let buy = OrderRoutesTests.ticket("AAPL", "buy", "5", client: client)
                #expect(try await app.request(.post, "/api/trading/orders", token: token, body: buy).status == .created)
            }
            let sell = #"{"symbol":"AAPL","side":"sell","qty":"5","order_type":"market","strategy_id":\#(id)}"#
            let sold = try await app.request(.post, "/api/trading/orders", token: token, body: sell)
            let soldOrder = try sold.json()
            #expect(sold.status == .created && soldOrder["strategy_id"] as? Int == id)
            let closed = try await app.database.withConnection { db in
                try await db.raw("SELECT lot_method FROM tax_lot_dispositions").all().map {
                    try $0.decode(column: "lot_method", as: String.self)
                }
            }
            #expect(closed == ["lifo"])
            let foreign = #"{"symbol":"AAPL","side":"buy","qty":"1","order_type":"market","strategy_id":\#(bobId)}"#
            let refused = try await app.request(.post, "/api/trading/orders", token: token, body: foreign)
            let why = try refused.errorMessage()
            #expect(refused.status == .unprocessableContent && why.contains("is not one of your strategies"))
        }
    }
}

/// `POST /api/strategies/{id}/roll` on the simulated market: the open call is bought back by the
/// strategy's lot method, then the new one is sold; with nothing to roll, nothing is sent.
@Suite("Covered-call roll")
struct CoveredCallRollRoutesTests {
    static let market = SimulatedMarket(seed: 7, clock: FixedClock(TestApp.now))

    static func call(_ app: TestApp.Fixture, token: String, expiry: String, index: Int) async throws -> String {
        let chain = try await app.request(.get, "/api/market/options/chain?underlying=AAPL&expiry=\(expiry)", token: token).json()
        let calls = (chain["contracts"] as? [[String: Any]] ?? []).filter { $0["right"] as? String == "call" }.compactMap {
            $0["symbol"] as? String
        }
        return calls[min(index, calls.count - 1)]
    }

    @Test func theCloseFillsByTheStrategysLotMethodThenTheNewCallIsSold() async throws {
        try await TestApp.run(provider: Self.market) { app in
            let (_, token) = try await app.user("alice")
            let strategy = try await app.request(
                .post, "/api/strategies", token: token,
                body: #"{"name":"AAPL calls","kind":"lcc","lcc":{"underlying":"AAPL","default_tax_lot_method":"lifo"}}"#)
            let id = try #require(try strategy.json()["id"] as? Int)
            let old = try await Self.call(app, token: token, expiry: "2026-04-17", index: 12)
            #expect(
                try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "buy", "200"))
                    .status == .created)
            // Two short lots in the old call: the buy-back closes them by the strategy's method.
            for _ in 0..<2 {
                let sell = #"{"symbol":"\#(old)","side":"sell","qty":"1","order_type":"market","strategy_id":\#(id)}"#
                let sold = try await app.request(.post, "/api/trading/orders", token: token, body: sell)
                #expect(sold.status == .created, "\(String(buffer: sold.body))")
            }
            let rolled = try await app.request(
                .post, "/api/strategies/\(id)/roll", token: token, body: #"{"expiry":"2026-05-15","delta":"0.30"}"#)
            try await OpenAPIContract.load(app).check(rolled, .post, "/api/strategies/{id}/roll")
            #expect(rolled.status == .ok, "\(String(buffer: rolled.body))")
            let json = try rolled.json()
            let close = try #require(json["close"] as? [String: Any])
            let open = try #require(json["open"] as? [String: Any])
            #expect(close["symbol"] as? String == old && close["side"] as? String == "buy" && close["status"] as? String == "filled")
            #expect(
                open["side"] as? String == "sell" && open["status"] as? String == "filled"
                    && (open["symbol"] as? String)?.contains("260515C") == true)
            #expect(open["strategy_id"] as? Int == id && close["strategy_id"] as? Int == id)
            let methods = try await app.database.withConnection { db in
                try await db.raw("SELECT lot_method FROM tax_lot_dispositions").all().map {
                    try $0.decode(column: "lot_method", as: String.self)
                }
            }
            #expect(methods == ["lifo", "lifo"])
            #expect((close["qty"] as? String) == "2.000000" && (open["qty"] as? String) == "2.000000")
        }
    }

    @Test func withNoShortCallOpenNothingIsSent() async throws {
        try await TestApp.run(provider: Self.market) { app in
            let (_, token) = try await app.user("alice")
            let strategy = try await app.request(
                .post, "/api/strategies", token: token, body: #"{"name":"c","kind":"lcc","lcc":{"underlying":"AAPL"}}"#)
            let id = try #require(try strategy.json()["id"] as? Int)
            let rolled = try await app.request(
                .post, "/api/strategies/\(id)/roll", token: token, body: #"{"expiry":"2026-05-15","delta":"0.30"}"#)
            #expect(rolled.status == .unprocessableContent)
            let text = try rolled.errorMessage()
            #expect(text.contains("no short AAPL call is open to roll"), "\(text)")
            #expect(
                try await app.database.withConnection { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM paper_orders").first()?.decode(column: "n", as: Int.self)
                } == 0)
        }
    }
}
