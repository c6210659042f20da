import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTServer
import MBTStorage
import MBTTestSupport
import Testing

/// The order ticket's preview: the estimated cost and the buying power after it, from the order
/// path's own rules, as formatted text (the fixed market: AAPL 172.60 / 172.70, MSFT 410.01 /
/// 410.05, the AAPL 175 call 1.10 / 1.20).
@Suite("Web: the order ticket's cost preview")
struct WebTradePreviewTests {
    static func preview(_ browser: inout WebClient, _ fields: [(String, String)]) async throws -> String {
        let query = fields.map { "\($0.0)=\(WebClient.encode($0.1))" }.joined(separator: "&")
        let response = try await browser.get("/trade/preview?" + query, headers: [HTTPField.Name("X-MBT-Refresh")!: "1"])
        #expect(response.status == .ok)
        return response.text
    }

    static func ticket(_ symbol: String, _ side: String, _ qty: String, type: String = "market", limit: String? = nil) -> [(String, String)]
    {
        [("symbol", symbol), ("side", side), ("qty", qty), ("order_type", type), ("time_in_force", "day")]
            + (limit.map { [("limit_price", $0)] } ?? [])
    }

    @Test func aMarketBuyShowsItsCostAtTheAskAndTheBuyingPowerLeft() async throws {
        try await TestApp.run { app in
            var browser = try await WebPageTests.signedIn(app)
            let text = try await Self.preview(&browser, Self.ticket("aapl", "buy", "10"))
            #expect(text.contains(#"<strong id="preview-cost">$1,727.00</strong> <span class="note">(10 × 172.70)</span>"#), "\(text)")
            #expect(text.contains(#"<span id="preview-after" class="gain">$98,273.00</span> <span class="note">(now $100,000.00)</span>"#))
            #expect(!text.contains("preview-warning"))
            // Placed, it costs what the preview said.
            _ = try await WebPageTests.order(&browser, Self.ticket("AAPL", "buy", "10"))
            let account = try await app.request(.get, "/api/trading/account", token: try await app.token("alice")).json()
            #expect(account["cash"] as? String == "98273.000000")
        }
    }

    @Test func aLimitIsJudgedAtItsLimitAndAnOptionPerContract() async throws {
        try await TestApp.run { app in
            var browser = try await WebPageTests.signedIn(app)
            let limit = try await Self.preview(&browser, Self.ticket("AAPL", "buy", "2", type: "limit", limit: "150"))
            #expect(limit.contains(">$300.00</strong>") && limit.contains(">$99,700.00</span>"))
            let option = try await Self.preview(&browser, Self.ticket("AAPL260320C00175000", "buy", "2"))
            #expect(option.contains(#"<strong id="preview-cost">$230.00</strong> <span class="note">(2 contracts × 1.15 × 100)</span>"#))
            let sale = try await Self.preview(&browser, Self.ticket("MSFT", "sell", "3"))
            #expect(sale.contains(#"<dt id="preview-cost-label">Estimated proceeds</dt>"#) && sale.contains(">$1,230.03</strong>"))
        }
    }

    @Test func anOrderBeyondTheBuyingPowerIsFlaggedWithTheRefusalItWouldGet() async throws {
        try await TestApp.run { app in
            var browser = try await WebPageTests.signedIn(app)
            let text = try await Self.preview(&browser, Self.ticket("AAPL", "buy", "1000"))
            #expect(text.contains(#"<span id="preview-after" class="loss">-$72,700.00</span>"#))
            #expect(text.contains("This order would be refused: needs 172700.00, buying power 100000.00"), "\(text)")
        }
    }

    @Test func anIncompleteOrBadTicketGetsAHintNotFigures() async throws {
        try await TestApp.run { app in
            var browser = try await WebPageTests.signedIn(app)
            let empty = try await Self.preview(&browser, [("symbol", "AAPL"), ("side", "buy"), ("order_type", "market")])
            #expect(empty.contains("Enter a symbol and a quantity to see the estimated cost."))
            let bad = try await Self.preview(&browser, Self.ticket("AAPL", "buy", "ten"))
            #expect(bad.contains(#"<p class="note" id="preview-hint">qty must be"#), "\(bad)")
            let unknown = try await Self.preview(&browser, Self.ticket("ZZZZ", "buy", "1"))
            #expect(unknown.contains("unknown symbol ZZZZ"), "\(unknown)")
            let hostile = try await Self.preview(&browser, Self.ticket("<b>", "buy", "1"))
            #expect(!hostile.contains("<b>"), "\(hostile)")
        }
    }

    @Test func theTicketCarriesThePreviewAndItNeedsASession() async throws {
        try await TestApp.run { app in
            var browser = try await WebPageTests.signedIn(app)
            let page = try await browser.get("/trade").text
            #expect(page.contains(#"<div id="preview" class="preview-box" aria-live="polite" data-preview="/trade/preview">"#))
            var stranger = WebClient(app)
            let refused = try await stranger.get("/trade/preview?symbol=AAPL&qty=1", headers: [HTTPField.Name("X-MBT-Refresh")!: "1"])
            #expect(refused.status == .unauthorized)
        }
    }
}
