import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
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
        (#"{"name":"x","kind":"lcc","lcc":{"underlying":"AAPL","roll_days_before_expiry":99}}"#, 422, "lcc.roll_days_before_expiry must be"),
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
            let lifo = try await app.request(.post, "/api/strategies", token: token, body: #"{"name":"lifo","default_tax_lot_method":"lifo"}"#)
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
                try await db.raw("SELECT lot_method FROM tax_lot_dispositions").all().map { try $0.decode(column: "lot_method", as: String.self) }
            }
            #expect(closed == ["lifo"])
            let foreign = #"{"symbol":"AAPL","side":"buy","qty":"1","order_type":"market","strategy_id":\#(bobId)}"#
            let refused = try await app.request(.post, "/api/trading/orders", token: token, body: foreign)
            let why = try refused.errorMessage()
            #expect(refused.status == .unprocessableContent && why.contains("is not one of your strategies"))
        }
    }
}
