import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTTestSupport
import Testing

@Suite("Alpaca /v2/positions")
struct AlpacaPositionTests {
    @Test func positionsAreMarkedAndClosedByQtyPercentageOrWhole() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            _ = try await alice.order(AlpacaOrderTests.marketBuy)
            _ = try await alice.order(#""symbol":"MSFT","qty":"2","side":"sell","type":"market","time_in_force":"day""#)
            let positions = try await alice.array("/v2/positions")
            #expect(positions.map { $0["symbol"] as? String } == ["AAPL", "MSFT"])
            let aapl = try await alice.object(.get, "/v2/positions/AAPL")
            #expect(aapl["qty"] as? String == "10" && aapl["side"] as? String == "long")
            #expect(aapl["avg_entry_price"] as? String == "172.7" && aapl["cost_basis"] as? String == "1727")
            #expect(aapl["current_price"] as? String == "172.65" && aapl["market_value"] as? String == "1726.5")
            #expect(aapl["unrealized_pl"] as? String == "-0.5" && aapl["exchange"] as? String == "")
            #expect(AlpacaOrderTests.isUUID(aapl["asset_id"]))
            let msft = try await alice.object(.get, "/v2/positions/MSFT")
            #expect(msft["qty"] as? String == "-2" && msft["side"] as? String == "short")
            // By asset id too.
            let byId = try await alice.object(.get, "/v2/positions/\(try #require(aapl["asset_id"] as? String))")
            #expect(byId["symbol"] as? String == "AAPL")
            let flat = try await alice.request(.get, "/v2/positions/NVDA")
            #expect(flat.status == .notFound)
            #expect(try flat.alpacaCode() == 40_410_000)
            #expect(try flat.alpacaMessage() == "position does not exist")

            // A resting sell holds shares back from qty_available.
            _ = try await alice.order(#""symbol":"AAPL","qty":"3","side":"sell","type":"limit","limit_price":"200","time_in_force":"gtc""#)
            #expect(try await alice.object(.get, "/v2/positions/AAPL")["qty_available"] as? String == "7")

            let byQty = try await alice.object(.delete, "/v2/positions/AAPL?qty=4")
            #expect(byQty["side"] as? String == "sell" && byQty["qty"] as? String == "4" && byQty["status"] as? String == "filled")
            let byShare = try await alice.object(.delete, "/v2/positions/AAPL?percentage=50")
            #expect(byShare["qty"] as? String == "3")
            let tooMany = try await alice.request(.delete, "/v2/positions/AAPL?qty=100")
            #expect(tooMany.status == .forbidden)
            #expect(try tooMany.alpacaCode() == 40_310_000)
            let both = try await alice.request(.delete, "/v2/positions/AAPL?qty=1&percentage=10")
            #expect(both.status == .unprocessableContent)
            let badShare = try await alice.request(.delete, "/v2/positions/AAPL?percentage=150")
            #expect(badShare.status == .unprocessableContent)

            let response = try await alice.request(.delete, "/v2/positions?cancel_orders=true")
            #expect(response.status.code == 207)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]])
            #expect(Set(items.map { $0["symbol"] as? String }) == ["AAPL", "MSFT"])
            #expect(items.allSatisfy { $0["status"] as? Int == 200 && ($0["body"] as? [String: Any])?["status"] as? String == "filled" })
            #expect(try await alice.array("/v2/positions").isEmpty)
            #expect(try await alice.array("/v2/orders").isEmpty)
        }
    }
}
