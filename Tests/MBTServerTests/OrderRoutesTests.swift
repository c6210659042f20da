import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Orders: submit, list, cancel, positions")
struct OrderRoutesTests {
    static func ticket(
        _ symbol: String, _ side: String, _ qty: String, type: String = "market", limit: String? = nil, tif: String? = nil,
        client: String? = nil
    ) -> String {
        var fields = [#""symbol":"\#(symbol)""#, #""side":"\#(side)""#, #""qty":"\#(qty)""#, #""order_type":"\#(type)""#]
        if let limit { fields.append(#""limit_price":"\#(limit)""#) }
        if let tif { fields.append(#""time_in_force":"\#(tif)""#) }
        if let client { fields.append(#""client_order_id":"\#(client)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test func aMarketBuyFillsAtTheAskAndMovesCashAndPosition() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "buy", "10"))
            #expect(response.status == .created)
            let order = try response.json()
            #expect(order["status"] as? String == "filled")
            #expect(order["fill_price"] as? String == "172.700000")
            #expect(order["slippage_basis"] as? String == "0.050000")

            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "98273.000000")
            #expect(account["equity"] as? String == "99999.500000")
            #expect(account["unrealized_pl"] as? String == "-0.500000")
            #expect(account["realized_pl"] as? String == "0.000000")
            #expect(account["long_market_value"] as? String == "1726.500000")
            let positions = try #require(
                try await app.request(.get, "/api/trading/positions", token: token).json()["positions"] as? [[String: Any]])
            #expect(positions.count == 1)
            #expect(positions.first?["qty"] as? String == "10.000000")
            #expect(positions.first?["avg_cost"] as? String == "172.700000")
            #expect(positions.first?["unrealized_pl"] as? String == "-0.500000")

            let fills = try await app.database.withConnection { db in
                try await db.select().columns("fill_price", "nbbo_bid", "nbbo_ask", "fill_rule").from("paper_fills").all()
            }
            #expect(fills.count == 1)
            #expect(try fills.first?.decimal("nbbo_bid") == "172.6")
            #expect(try fills.first?.decode(column: "fill_rule", as: String.self) != nil)
        }
    }

    @Test func sellingTheWholePositionClosesItAtTheBid() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "buy", "10"))
            let sell = try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "sell", "10"))
            #expect(try sell.json()["fill_price"] as? String == "172.600000")
            let positions = try await app.request(.get, "/api/trading/positions", token: token).json()["positions"] as? [Any]
            #expect(positions?.isEmpty == true)
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "99999.000000")
            #expect(account["equity"] as? String == "99999.000000")
            #expect(account["realized_pl"] as? String == "-1.000000")
            #expect(account["unrealized_pl"] as? String == "0.000000")
        }
    }

    @Test func aLimitBelowTheAskRestsAndCanBeCanceledOnce() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let placed = try await app.request(
                .post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "buy", "5", type: "limit", limit: "170"))
            #expect(placed.status == .created)
            let order = try placed.json()
            #expect(order["status"] as? String == "accepted")
            let id = try #require(order["id"] as? Int)

            let canceled = try await app.request(.delete, "/api/trading/orders/\(id)", token: token)
            #expect(canceled.status == .ok)
            #expect(try canceled.json()["status"] as? String == "canceled")
            let again = try await app.request(.delete, "/api/trading/orders/\(id)", token: token)
            #expect(again.status == .conflict)
            #expect(try again.errorCode() == "conflict")
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "100000.000000")
        }
    }

    @Test func aMarketableLimitFillsAtTheQuoteKeepingTheImprovement() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let order = try await app.request(
                .post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "buy", "1", type: "limit", limit: "180")
            ).json()
            #expect(order["status"] as? String == "filled")
            #expect(order["fill_price"] as? String == "172.700000")
        }
    }

    @Test func anotherUsersOrderIsNotFound() async throws {
        try await TestApp.run { app in
            let (_, alice) = try await app.user("alice")
            let (_, bob) = try await app.user("bob")
            let order = try await app.request(
                .post, "/api/trading/orders", token: alice, body: Self.ticket("AAPL", "buy", "1", type: "limit", limit: "100")
            ).json()
            let id = try #require(order["id"] as? Int)
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await app.request(method, "/api/trading/orders/\(id)", token: bob)
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("AAPL"))
            }
            #expect(try await app.request(.get, "/api/trading/orders/\(id)", token: alice).status == .ok)
            let bobsList = try await app.request(.get, "/api/trading/orders", token: bob).json()["orders"] as? [Any]
            #expect(bobsList?.isEmpty == true)
        }
    }

    @Test func insufficientBuyingPowerIsStoredRejectedAndSaysWhy() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("MSFT", "buy", "1000"))
            #expect(response.status == .unprocessableContent)
            let body = try response.json()
            #expect((body["error"] as? [String: Any])?["code"] as? String == "insufficient_buying_power")
            #expect((body["order"] as? [String: Any])?["status"] as? String == "rejected")
            let rejected = try await app.request(.get, "/api/trading/orders?status=rejected", token: token).json()["orders"] as? [Any]
            #expect(rejected?.count == 1)
            #expect(try await app.request(.get, "/api/trading/account", token: token).json()["cash"] as? String == "100000.000000")
        }
    }

    @Test(arguments: [
        #"{"symbol":"AAPL","side":"buy","qty":"0","order_type":"market"}"#,
        #"{"symbol":"AAPL","side":"buy","qty":"-1","order_type":"market"}"#,
        #"{"symbol":"AAPL","side":"buy","qty":"1.1234567","order_type":"market"}"#,
        #"{"symbol":"AAPL","side":"buy","qty":"1","order_type":"market","limit_price":"100"}"#,
        #"{"symbol":"AAPL","side":"buy","qty":"1","order_type":"limit"}"#,
        #"{"symbol":"AAPL","side":"hold","qty":"1","order_type":"market"}"#,
        #"{"symbol":"AAPL","side":"buy","qty":1,"order_type":"market"}"#,
        #"{"symbol":"AA PL","side":"buy","qty":"1","order_type":"market"}"#,
        #"{"symbol":"AAPL","side":"buy","qty":"1","order_type":"limit","limit_price":"99999999"}"#,
    ])
    func badTicketsAre4xxAndWriteNothing(body: String) async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
            #expect(response.status.code >= 400 && response.status.code < 500)
            _ = try response.errorCode()
            let orders = try await app.request(.get, "/api/trading/orders", token: token).json()["orders"] as? [Any]
            #expect(orders?.isEmpty == true)
        }
    }

    @Test func unknownSymbolIsRejectedAndStored() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let response = try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("ZZZZ", "buy", "1"))
            #expect(response.status == .unprocessableContent)
            #expect((try response.json()["order"] as? [String: Any])?["reject_reason"] != nil)
        }
    }

    @Test func clientOrderIdMakesSubmissionIdempotentUnderConcurrency() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let body = Self.ticket("AAPL", "buy", "1", client: "my-order-1")
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await app.request(.post, "/api/trading/orders", token: token, body: body)
                        return (response.status.code, try response.json()["id"] as? Int ?? -1)
                    }
                }
                return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 1)
            #expect(Set(statuses.map(\.1)).count == 1)
            let orders = try await app.request(.get, "/api/trading/orders", token: token).json()["orders"] as? [Any]
            #expect(orders?.count == 1)
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "99827.300000")
        }
    }

    @Test func parallelOrdersNeverOverspendBuyingPower() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            // Each order costs 41,005; the account can afford two of them, not three.
            let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await app.request(.post, "/api/trading/orders", token: token, body: Self.ticket("MSFT", "buy", "100")).status
                            .code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == 201 }.count == 2)
            #expect(outcomes.filter { $0 == 422 }.count == 4)
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "17990.000000")
        }
    }

    @Test func historyPagesWithACursorAndFilters() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            for price in 100..<105 {
                try await app.request(
                    .post, "/api/trading/orders", token: token, body: Self.ticket("AAPL", "buy", "1", type: "limit", limit: "\(price)"))
            }
            let first = try await app.request(.get, "/api/trading/orders?limit=2", token: token).json()
            let page1 = try #require(first["orders"] as? [[String: Any]])
            #expect(page1.map { $0["limit_price"] as? String } == ["104.000000", "103.000000"])
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await app.request(.get, "/api/trading/orders?limit=2&before=\(cursor)", token: token).json()
            #expect((second["orders"] as? [[String: Any]])?.map { $0["limit_price"] as? String } == ["102.000000", "101.000000"])
            #expect(try await app.request(.get, "/api/trading/orders?symbol=MSFT", token: token).json()["orders"] as? [Any] != nil)
            #expect(try await app.request(.get, "/api/trading/orders?status=open", token: token).status == .unprocessableContent)
            #expect(try await app.request(.get, "/api/trading/orders?limit=0", token: token).status == .unprocessableContent)
        }
    }
}
