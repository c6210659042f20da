import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import Testing

@testable import MBTServer

/// A multi-leg order held whole is one portfolio row with its legs under it; the history shows
/// each order's realized P&L (the tax engine's) and its strategy's name.
@Suite("Web: structures on the portfolio, realized P&L and strategy in the history")
struct WebStructuresTests {
    @Test func aHeldIronCondorIsOneRowWithItsFourLegs() async throws {
        try await TestApp.run(provider: IronCondorRoutesTests.market) { app in
            var browser = try await WebPageTests.signedIn(app)
            let token = try await app.token("alice")
            let strategy = try await app.request(
                .post, "/api/strategies", token: token, body: #"{"name":"April condor","kind":"iron_condor"}"#)
            let strategyId = try #require(try strategy.json()["id"] as? Int)
            let submitted = try await app.request(
                .post, "/api/strategies/iron-condor/submit", token: token,
                body: IronCondorRoutesTests.body(#","strategy_id":\#(strategyId)"#))
            #expect(submitted.status == .created)
            let order = try submitted.json()
            let id = try #require(order["id"] as? Int)
            let legs = try #require(order["legs"] as? [[String: Any]]).compactMap { $0["symbol"] as? String }
            _ = try await WebPageTests.order(&browser, WebTradePreviewTests.ticket("AAPL", "buy", "1"))

            let live = try await browser.get("/portfolio/live").text
            let header = try #require(
                live.range(
                    of:
                        #"<tr class="structure"><th scope="row">April condor <span class="under">4 legs, order \#(id)</span></th><td>credit</td><td class="num">2</td>"#
                ),
                "\(live)")
            let stock = try #require(live.range(of: #"<tr><th scope="row">AAPL</th>"#))
            #expect(stock.lowerBound < header.lowerBound)
            for symbol in legs {
                let leg = try #require(live.range(of: #"<tr class="leg"><th scope="row">\#(symbol)</th>"#))
                #expect(header.lowerBound < leg.lowerBound)
                #expect(!live.contains(#"<tr class="option"><th scope="row">\#(symbol) "#))
            }
        }
    }

    @Test func aStructureNoLongerHeldWholeFallsBackToItsPositions() async throws {
        try await TestApp.run(provider: IronCondorRoutesTests.market) { app in
            var browser = try await WebPageTests.signedIn(app)
            let token = try await app.token("alice")
            let submitted = try await app.request(
                .post, "/api/strategies/iron-condor/submit", token: token, body: IronCondorRoutesTests.body())
            let legs = try #require(try submitted.json()["legs"] as? [[String: Any]])
            let wing = try #require(legs.first?["symbol"] as? String)
            let before = try await browser.get("/portfolio/live").text
            #expect(
                before.contains(#"<tr class="structure"><th scope="row">Iron condor <span class="under">4 legs, order "#),
                "named by its shape")
            // Sell one of the two long put wings: that leg is no longer held as the order left it.
            _ = try await WebPageTests.order(&browser, WebTradePreviewTests.ticket(wing, "sell", "1"))
            let live = try await browser.get("/portfolio/live").text
            #expect(!live.contains(#"<tr class="structure">"#))
            #expect(try await browser.get("/history").text.contains("</td><td>Iron condor</td>"), "the history names its shape")
            #expect(
                live.contains(
                    #"<tr class="option"><th scope="row">\#(wing) <span class="under">AAPL option</span></th><td>long</td><td class="num">1</td>"#
                ))
        }
    }

    @Test func historyShowsWhatEachOrderRealizedAndItsStrategy() async throws {
        try await TestApp.run { app in
            var browser = try await WebPageTests.signedIn(app)
            let token = try await app.token("alice")
            let strategy = try await app.request(.post, "/api/strategies", token: token, body: #"{"name":"Swing","kind":"custom"}"#)
            let strategyId = try #require(try strategy.json()["id"] as? Int)
            _ = try await app.request(
                .post, "/api/trading/orders", token: token,
                body: #"{"symbol":"AAPL","side":"buy","qty":"10","order_type":"market","strategy_id":\#(strategyId)}"#)
            let sold = try await app.request(.post, "/api/trading/orders", token: token, body: OrderRoutesTests.ticket("AAPL", "sell", "4"))
            let sellId = try #require(try sold.json()["id"] as? Int)
            let history = try await browser.get("/history").text
            // Bought at the ask 172.70, sold at the bid 172.60: 4 × −0.10.
            #expect(history.contains(#"<td class="num">172.60</td><td class="num loss">-$0.40</td><td>—</td>"#), "\(history)")
            #expect(history.contains(#"<td class="num">172.70</td><td class="num ">—</td><td>Swing</td>"#))
            #expect(history.contains(#"<tr id="order-\#(sellId)">"#))
        }
    }
}
