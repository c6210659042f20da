import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTStorage
import MBTTestSupport
import Testing

@Suite("Alpaca /v2/orders")
struct AlpacaOrderTests {
    static let marketBuy = #""symbol":"AAPL","qty":10.0,"side":"buy","type":"market","time_in_force":"day""#

    static func isUUID(_ value: Any?) -> Bool { (value as? String).flatMap(UUID.init(uuidString:)) != nil }

    @Test func aMarketBuyFillsAndReadsBackInAlpacasOrderShape() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let order = try await alice.order(Self.marketBuy)
            #expect(Self.isUUID(order["id"]) && Self.isUUID(order["asset_id"]))
            #expect(order["status"] as? String == "filled")
            #expect(order["qty"] as? String == "10")
            #expect(order["filled_qty"] as? String == "10")
            #expect(order["filled_avg_price"] as? String == "172.7")
            #expect(order["order_class"] as? String == "simple")
            #expect(order["type"] as? String == "market" && order["order_type"] as? String == "market")
            #expect(order["asset_class"] as? String == "us_equity")
            #expect(order["extended_hours"] as? Bool == false)
            #expect(order["client_order_id"] as? String == order["id"] as? String)
            for key in ["created_at", "updated_at", "submitted_at", "filled_at"] {
                let text = try #require(order[key] as? String, "\(key)")
                #expect(try Date(text, strategy: .iso8601) == TestApp.now, "\(key) \(text)")
            }
            #expect(order["expires_at"] as? String == "2026-03-20T20:00:00.000000Z")
            for key in ["notional", "stop_price", "trail_percent", "trail_price", "hwm", "canceled_at", "legs"] {
                #expect(order[key] is NSNull, "\(key)")
            }
            let id = try #require(order["id"] as? String)
            let read = try await alice.object(.get, "/v2/orders/\(id)")
            #expect(read["id"] as? String == id && read["status"] as? String == "filled")
            // The same engine underneath: the order is a paper_orders row the MBT API shows too.
            let rows = try await app.database.withConnection { db in try await db.select().column("id").from("paper_orders").all() }
            #expect(rows.count == 1)
            let account = try await alice.object(.get, "/v2/account")
            #expect(account["cash"] as? String == "98273")
            #expect(account["long_market_value"] as? String == "1726.5")
        }
    }

    @Test func aRestingLimitIsFoundByClientOrderIdReplacedAndCanceled() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let resting = try await alice.order(
                #""symbol":"AAPL","qty":"5","side":"buy","type":"limit","limit_price":170.5,"time_in_force":"gtc","client_order_id":"bot-1""#
            )
            #expect(resting["status"] as? String == "new")
            #expect(resting["limit_price"] as? String == "170.5")
            #expect(resting["expires_at"] as? String == "2026-06-18T20:15:00.000000Z")
            let id = try #require(resting["id"] as? String)
            let found = try await alice.object(.get, "/v2/orders:by_client_order_id?client_order_id=bot-1")
            #expect(found["id"] as? String == id)
            let duplicate = try await alice.request(
                .post, "/v2/orders",
                body:
                    #"{"symbol":"AAPL","qty":"5","side":"buy","type":"limit","limit_price":"170","time_in_force":"gtc","client_order_id":"bot-1"}"#
            )
            #expect(duplicate.status == .unprocessableContent)
            #expect(try duplicate.alpacaMessage().contains("client_order_id"))

            let replacement = try await alice.object(.patch, "/v2/orders/\(id)", body: #"{"qty":3,"limit_price":"169"}"#)
            let newId = try #require(replacement["id"] as? String)
            #expect(newId != id && replacement["replaces"] as? String == id)
            #expect(replacement["qty"] as? String == "3" && replacement["limit_price"] as? String == "169")
            let old = try await alice.object(.get, "/v2/orders/\(id)")
            #expect(old["status"] as? String == "replaced" && old["replaced_by"] as? String == newId)
            #expect(old["replaced_at"] as? String == "2026-03-20T14:00:00.000000Z" && old["canceled_at"] is NSNull)

            let open = try await alice.array("/v2/orders?status=open&nested=True")
            #expect(open.map { $0["id"] as? String } == [newId])
            let canceled = try await alice.request(.delete, "/v2/orders/\(newId)")
            #expect(canceled.status == .noContent && canceled.body.readableBytes == 0)
            let again = try await alice.request(.delete, "/v2/orders/\(newId)")
            #expect(again.status == .unprocessableContent)
            #expect(try again.alpacaCode() == 42_210_000)
            let canceledOrder = try await alice.object(.get, "/v2/orders/\(newId)")
            #expect(canceledOrder["status"] as? String == "canceled")
            #expect(canceledOrder["canceled_at"] as? String == "2026-03-20T14:00:00.000000Z")
            let closed = try await alice.array("/v2/orders?status=closed&direction=asc")
            #expect(closed.map { $0["id"] as? String } == [id, newId])
            #expect(try await alice.array("/v2/orders?status=open").isEmpty)
        }
    }

    @Test func listingFiltersBySymbolsSideTimeAndLimit() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            _ = try await alice.order(Self.marketBuy)
            _ = try await alice.order(#""symbol":"MSFT","qty":"1","side":"buy","type":"market","time_in_force":"day""#)
            _ = try await alice.order(#""symbol":"AAPL","qty":"1","side":"sell","type":"market","time_in_force":"day""#)
            #expect(try await alice.array("/v2/orders?status=all").count == 3)
            #expect(try await alice.array("/v2/orders?status=all&symbols=MSFT").count == 1)
            #expect(try await alice.array("/v2/orders?status=all&symbols=aapl,MSFT&side=sell").count == 1)
            #expect(try await alice.array("/v2/orders?status=all&limit=2").count == 2)
            #expect(try await alice.array("/v2/orders?status=all&after=2026-03-20T14:00:00Z").isEmpty)
            #expect(try await alice.array("/v2/orders?status=all&until=2026-03-20T14:00:00.000001%2B00:00").count == 3)
            #expect(try await alice.array("/v2/orders?status=all&until=2026-03-20").isEmpty)
        }
    }

    @Test func cancelingAllAnswers207WithEachOrder() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let first = try await alice.order(
                #""symbol":"AAPL","qty":1,"side":"buy","type":"limit","limit_price":150,"time_in_force":"day""#)
            let second = try await alice.order(
                #""symbol":"MSFT","qty":1,"side":"buy","type":"limit","limit_price":400,"time_in_force":"day""#)
            let response = try await alice.request(.delete, "/v2/orders")
            #expect(response.status.code == 207)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
            #expect(Set(items.map { $0["id"] as? String }) == [first["id"] as? String, second["id"] as? String])
            #expect(items.allSatisfy { $0["status"] as? Int == 200 })
            #expect(try await alice.array("/v2/orders").isEmpty)
        }
    }

    @Test func aTwoLegMlegOrderFillsWithItsLegs() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let order = try await alice.order(
                #""qty":1.0,"type":"market","time_in_force":"day","order_class":"mleg","legs":[{"symbol":"AAPL260320C00175000","ratio_qty":1.0,"side":"buy","position_intent":"buy_to_open"},{"symbol":"AAPL260320P00170000","ratio_qty":1.0,"side":"buy","position_intent":"buy_to_open"}]"#
            )
            #expect(order["order_class"] as? String == "mleg")
            #expect(order["status"] as? String == "filled")
            #expect(order["symbol"] as? String == "" && order["side"] as? String == "")
            let legs = try #require(order["legs"] as? [[String: Any]])
            #expect(legs.map { $0["symbol"] as? String } == ["AAPL260320C00175000", "AAPL260320P00170000"])
            #expect(legs.allSatisfy { $0["asset_class"] as? String == "us_option" && $0["status"] as? String == "filled" })
            #expect(legs.map { $0["position_intent"] as? String } == ["buy_to_open", "buy_to_open"])
            #expect(legs.allSatisfy { $0["ratio_qty"] as? String == "1" && AlpacaOrderTests.isUUID($0["id"]) })
            let listed = try await alice.array("/v2/orders?status=closed&nested=true")
            #expect(listed.count == 1 && (listed.first?["legs"] as? [Any])?.count == 2)
            let positions = try await alice.array("/v2/positions")
            #expect(Set(positions.map { $0["symbol"] as? String }) == ["AAPL260320C00175000", "AAPL260320P00170000"])
            #expect(positions.allSatisfy { $0["asset_class"] as? String == "us_option" && $0["exchange"] as? String == "" })
        }
    }

    @Test func badInputIsRefusedWithAlpacasCodesAndClearMessages() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"symbol":"AAPL","qty":0,"side":"buy","type":"market","time_in_force":"day"}"#, .unprocessableContent, "quantity"),
                (#"{"symbol":"AAPL","qty":"-1","side":"buy","type":"market","time_in_force":"day"}"#, .unprocessableContent, "quantity"),
                (
                    #"{"symbol":"AAPL","qty":1,"side":"buy","type":"market","limit_price":170,"time_in_force":"day"}"#,
                    .unprocessableContent,
                    "limit price"
                ),
                (#"{"symbol":"NOSUCH","qty":1,"side":"buy","type":"market","time_in_force":"day"}"#, .unprocessableContent, "NOSUCH"),
                (#"{"symbol":"AAPL","qty":1,"side":"buy","type":"market","time_in_force":"fok"}"#, .unprocessableContent, "fok"),
                (#"{"symbol":"AAPL","qty":1,"side":"buy","type":"market","time_in_force":"opg"}"#, .unprocessableContent, "opg"),
                (#"{"symbol":"AAPL","qty":1,"side":"buy","type":"market","time_in_force":"cls"}"#, .unprocessableContent, "cls"),
                (
                    #"{"symbol":"AAPL","notional":100,"side":"buy","type":"market","time_in_force":"day"}"#, .unprocessableContent,
                    "notional"
                ),
                (
                    #"{"symbol":"AAPL","qty":1,"side":"buy","type":"stop","stop_price":1,"time_in_force":"day"}"#, .unprocessableContent,
                    "stop"
                ),
                (#"{"symbol":"AAPL","qty":1,"side":"hold","type":"market","time_in_force":"day"}"#, .unprocessableContent, "side"),
                (#"{"symbol":"AAPL","qty":1,"side":"buy","type":"market"}"#, .unprocessableContent, "time_in_force is required"),
                (
                    #"{"symbol":"AAPL","qty":1,"side":"buy","type":"market","time_in_force":"day","order_class":"bracket"}"#,
                    .unprocessableContent, "bracket"
                ),
                (#"{"symbol":"AAPL","qty":5000,"side":"buy","type":"market","time_in_force":"day"}"#, .forbidden, "buying power"),
                (
                    #"{"symbol":"AAPL260313C00175000","qty":1,"side":"buy","type":"market","time_in_force":"day"}"#, .unprocessableContent,
                    "expired"
                ),
                (#"[1,2]"#, .badRequest, "JSON object"),
                (#"{"symbol":"AAPL""#, .badRequest, "JSON object"),
            ]
            for (body, status, words) in cases {
                let response = try await alice.request(.post, "/v2/orders", body: body)
                #expect(response.status == status, "\(body): \(String(buffer: response.body))")
                #expect(try response.alpacaCode() == Int(status.code) * 100_000 + 10_000, "\(body)")
                let message = try response.alpacaMessage()
                #expect(message.lowercased().contains(words.lowercased()), "\(body): \(message)")
            }
        }
    }

    @Test func unknownOthersAndMalformedOrderIdsAreRefused() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let bob = try await AlpacaCaller.make(app, "bob")
            let order = try await alice.order(Self.marketBuy)
            let id = try #require(order["id"] as? String)
            for method in [HTTPRequest.Method.get, .delete] {
                let others = try await bob.request(method, "/v2/orders/\(id)")
                #expect(others.status == .notFound)
                #expect(try others.alpacaCode() == 40_410_000)
                #expect(try others.alpacaMessage() == "order not found")
                let unknown = try await alice.request(method, "/v2/orders/\(UUID().uuidString.lowercased())")
                #expect(unknown.status == .notFound)
                let malformed = try await alice.request(method, "/v2/orders/12")
                #expect(malformed.status == .badRequest)
                #expect(try malformed.alpacaCode() == 40_010_000)
                #expect(try malformed.alpacaMessage().contains("UUID"))
            }
            let patch = try await bob.request(.patch, "/v2/orders/\(id)", body: #"{"qty":1}"#)
            #expect(patch.status == .notFound)
            let byClient = try await bob.request(.get, "/v2/orders:by_client_order_id?client_order_id=\(id)")
            #expect(byClient.status == .notFound)
            #expect(try await alice.object(.get, "/v2/orders:by_client_order_id?client_order_id=\(id)")["id"] as? String == id)
            let badStatus = try await alice.request(.get, "/v2/orders?status=pending")
            #expect(badStatus.status == .unprocessableContent)
            #expect(try badStatus.alpacaCode() == 42_210_000)
            #expect(try badStatus.alpacaMessage().contains("open, closed, all"))
            let badLimit = try await alice.request(.get, "/v2/orders?limit=501")
            #expect(badLimit.status == .unprocessableContent)
            let badTime = try await alice.request(.get, "/v2/orders?after=yesterday")
            #expect(badTime.status == .unprocessableContent)
            let filledReplace = try await alice.request(.patch, "/v2/orders/\(id)", body: #"{"qty":1}"#)
            #expect(filledReplace.status == .unprocessableContent)
            #expect(try filledReplace.alpacaMessage().contains("filled"))
            let emptyReplace = try await alice.request(.patch, "/v2/orders/\(id)", body: #"{}"#)
            #expect(emptyReplace.status == .unprocessableContent)
        }
    }
}
