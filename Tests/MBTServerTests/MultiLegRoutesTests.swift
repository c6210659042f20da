import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import Testing

/// `POST /api/trading/orders` with `legs`: the parent answered with its legs nested, in the
/// document's shapes, and a bad leg named by its place and field.
@Suite("Orders: multi-leg tickets over HTTP")
struct MultiLegRoutesTests {
    static let call = "AAPL260320C00175000"
    static let put = "AAPL260320P00170000"

    static func ticket(_ legs: [String], qty: String = "1", extra: String = "") -> String {
        #"{"qty":"\#(qty)","order_type":"market","legs":[\#(legs.joined(separator: ","))]\#(extra)}"#
    }

    static func leg(_ symbol: String, _ side: String, _ intent: String) -> String {
        #"{"symbol":"\#(symbol)","side":"\#(side)","ratio_qty":1,"position_intent":"\#(intent)"}"#
    }

    @Test func aLongStrangleFillsAndIsShownWithItsLegs() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let body = Self.ticket([Self.leg(Self.put, "buy", "buy_to_open"), Self.leg(Self.call, "buy", "buy_to_open")], qty: "2")
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(response.status == .created)
            contract.check(response, .post, "/api/trading/orders")
            let order = try response.json()
            // 0.825 + 1.15 per unit, paid.
            #expect(
                order["status"] as? String == "filled" && order["fill_price"] as? String == "1.975000" && order["side"] as? String == "buy")
            let legs = try #require(order["legs"] as? [[String: Any]])
            #expect(legs.map { $0["symbol"] as? String } == [Self.put, Self.call])
            #expect(legs.map { $0["qty"] as? String } == ["2.000000", "2.000000"])
            #expect(legs.map { $0["position_intent"] as? String } == ["buy_to_open", "buy_to_open"])

            let list = try await app.request(.get, "/api/trading/orders", token: token)
            contract.check(list, .get, "/api/trading/orders")
            let orders = try #require(try list.json()["orders"] as? [[String: Any]])
            #expect(orders.count == 1 && (orders.first?["legs"] as? [Any])?.count == 2)
            let id = try #require(order["id"] as? Int)
            let single = try await app.request(.get, "/api/trading/orders/\(id)", token: token)
            contract.check(single, .get, "/api/trading/orders/{id}")
            #expect((try single.json()["legs"] as? [Any])?.count == 2)
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "99605.000000")
        }
    }

    @Test func aRestingComboIsReplacedAndCanceledAsOneOrder() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            // The mids net a 1.975 debit: paying at most 1.50 rests, holding back the debit.
            let legs = [Self.leg(Self.put, "buy", "buy_to_open"), Self.leg(Self.call, "buy", "buy_to_open")]
            let body = #"{"qty":"1","order_type":"limit","limit_price":"1.50","legs":[\#(legs.joined(separator: ","))]}"#
            let placed = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(placed.status == .created)
            contract.check(placed, .post, "/api/trading/orders")
            let order = try placed.json()
            #expect(order["status"] as? String == "accepted" && order["order_class"] as? String == "mleg")
            #expect(order["reserved_buying_power"] as? String == "150.000000")
            #expect((order["legs"] as? [[String: Any]])?.map { $0["status"] as? String } == ["accepted", "accepted"])
            let id = try #require(order["id"] as? Int)
            let legId = try #require((order["legs"] as? [[String: Any]])?.first?["id"] as? Int)
            let legCancel = try await app.request(.delete, "/api/trading/orders/\(legId)", token: token)
            #expect(legCancel.status == .unprocessableContent)

            let replaced = try await app.request(.patch, "/api/trading/orders/\(id)", token: token, body: #"{"limit_price":"1.60"}"#)
            #expect(replaced.status == .ok)
            contract.check(replaced, .patch, "/api/trading/orders/{id}")
            let replacement = try replaced.json()
            #expect(replacement["replaces_order_id"] as? Int == id && replacement["reserved_buying_power"] as? String == "160.000000")
            let newId = try #require(replacement["id"] as? Int)
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["buying_power"] as? String == "99840.000000")

            let canceled = try await app.request(.delete, "/api/trading/orders/\(newId)", token: token)
            #expect(canceled.status == .ok)
            contract.check(canceled, .delete, "/api/trading/orders/{id}")
            let shown = try await app.request(.get, "/api/trading/orders/\(newId)", token: token).json()
            #expect(shown["status"] as? String == "canceled")
            #expect((shown["legs"] as? [[String: Any]])?.map { $0["status"] as? String } == ["canceled", "canceled"])
        }
    }

    @Test(arguments: [
        (ticket([leg(put, "buy", "buy_to_open"), #"{"symbol":"\#(call)","side":"buy"}"#]), "legs[2].position_intent is required"),
        (
            ticket([leg(put, "buy", "buy_to_open"), leg(call, "buy", "buy_to_open")], extra: #","symbol":"AAPL""#),
            "symbol belongs to each of legs"
        ),
        (
            ticket([leg(put, "buy", "buy_to_open"), #"{"symbol":"\#(call)","side":"buy","position_intent":"buy_to_open","ratio_qty":0}"#]),
            "legs[2].ratio_qty must be a whole number from 1"
        ),
        (
            ticket([leg(put, "buy", "buy_to_open"), #"{"symbol":"\#(call)","side":"buy","position_intent":"hold"}"#]),
            "legs[2].position_intent must be buy_to_open, buy_to_close, sell_to_open or sell_to_close"
        ),
        (ticket([leg(put, "buy", "buy_to_open")]), "legs"),
        (ticket([leg(put, "buy", "buy_to_open"), leg(put, "buy", "buy_to_open")]), "legs[2]"),
        (
            ticket([leg(put, "buy", "buy_to_open"), #"{"symbol":"\#(call)","side":"buy","position_intent":"buy_to_open","price":"1"}"#]),
            "unknown field legs[2].price"
        ),
    ])
    func aBadTicketIsRefusedNamingTheLegAndField(body: String, message: String) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(response.status == .unprocessableContent)
            let error = try #require(try response.json()["error"] as? [String: Any])
            #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
            #expect(
                try await app.database.withConnection { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM paper_orders").first()?.decode(column: "n", as: Int.self)
                } == 0)
        }
    }

    @Test func aShortStrangleIsStoredRejectedAsUncovered() async throws {
        try await TestApp.run { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, token) = try await app.user("alice")
            let body = Self.ticket([Self.leg(Self.put, "sell", "sell_to_open"), Self.leg(Self.call, "sell", "sell_to_open")])
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(response.status == .unprocessableContent)
            contract.check(response, .post, "/api/trading/orders")
            let json = try response.json()
            #expect((json["error"] as? [String: Any])?["code"] as? String == "uncovered_option")
            #expect((json["order"] as? [String: Any])?["status"] as? String == "rejected")
        }
    }
}
