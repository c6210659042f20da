import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTMarketData
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@testable import MBTServer

/// The trade page's options chain and iron-condor builder, on the simulated market's chains.
@Suite("Web: options chain and iron-condor builder")
struct WebOptionsTests {
    static let fields: [(String, String)] = [
        ("underlying", "AAPL"), ("expiry", "2026-04-17"), ("short_call_delta", "0.30"), ("short_put_delta", "0.20"), ("wing_width", "10"),
        ("qty", "2"),
    ]

    static func condor(_ browser: inout WebClient, _ fields: [(String, String)], action: String) async throws -> TestResponse {
        let token = try await browser.csrfToken()
        return try await browser.post("/trade/iron-condor", [("csrf_token", token), ("action", action)] + fields)
    }

    @Test func theChainShowsCallsAndPutsByStrikeAndATradeLinkFillsTheTicket() async throws {
        try await TestApp.run(provider: IronCondorRoutesTests.market) { app in
            var browser = try await WebPageTests.signedIn(app)
            let picker = try await browser.get("/trade").text
            // Weekly expiries from the market clock's Friday 2026-03-20 on.
            #expect(picker.contains(#"<option value="2026-03-20" selected>Fri 2026-03-20</option>"#), "\(picker)")
            #expect(picker.contains(#"<option value="2026-04-02">Thu 2026-04-02</option>"#), "Good Friday's week ends on Thursday")
            #expect(!picker.contains(#"<table id="chain">"#))

            let page = try await browser.get("/trade?underlying=aapl&expiry=2026-04-17").text
            #expect(page.contains(#"<table id="chain">"#))
            #expect(page.contains(#"<option value="2026-04-17" selected>"#))
            #expect(page.contains(#"<input id="condor_underlying" name="underlying" value="AAPL""#), "the builder starts from the chain")
            let condorExpiry = try #require(page.range(of: #"<select id="condor_expiry" name="expiry">"#))
            #expect(page[condorExpiry.upperBound...].prefix(2000).contains(#"<option value="2026-04-17" selected>Fri 2026-04-17</option>"#))
            let link = try #require(page.range(of: #"<a href="/trade?symbol=AAPL260417C"#))
            let url = String(page[page.index(link.lowerBound, offsetBy: 9)...].prefix { $0 != "\"" })
            let symbol = String(url.dropFirst("/trade?symbol=".count).prefix { $0 != "#" })
            // The browser does not send the fragment.
            let ticket = try await browser.get(String(url.prefix { $0 != "#" })).text
            #expect(ticket.contains(#"<input id="symbol" name="symbol" value="\#(symbol)""#))
            #expect(ticket.contains(#"<p class="quote" id="quote-line"><strong>\#(symbol)</strong> bid"#))

            await app.marketData.accessLog.flush()
            let logged = try await app.database.withConnection { db in
                try await db.select().column("symbol").from("market_data_access_log").where("data_type", .equal, SQLBind("chain")).all()
                    .map { try $0.decode(column: "symbol", as: String.self) }
            }
            #expect(logged.contains("AAPL"), "the chain is access-logged")
        }
    }

    @Test func aChainThatDoesNotExistOrABadUnderlyingIsSaidSo() async throws {
        try await TestApp.run(provider: IronCondorRoutesTests.market) { app in
            var browser = try await WebPageTests.signedIn(app)
            #expect(
                try await browser.get("/trade?underlying=AAPL&expiry=2026-04-18").text.contains("No AAPL options expire on Sat 2026-04-18.")
            )
            let bad = try await browser.get("/trade?underlying=%3Cb%3E").text
            #expect(bad.contains(#"<p class="field-error" id="underlying-error">Underlying must be a stock symbol such as AAPL.</p>"#))
            #expect(!bad.contains("<b>"))
        }
    }

    @Test func theCondorIsPreviewedThenSubmittedAsOneOrder() async throws {
        try await TestApp.run(provider: IronCondorRoutesTests.market) { app in
            var browser = try await WebPageTests.signedIn(app)
            let preview = try await Self.condor(&browser, Self.fields, action: "preview")
            #expect(preview.status == .ok)
            #expect(preview.text.contains(#"<table id="condor-legs">"#))
            #expect(preview.text.contains("<td>buy to open</td>") && preview.text.contains("<td>sell to open</td>"))
            #expect(preview.text.contains(#"id="condor-submit""#))
            #expect(preview.text.contains(#"<input id="condor_underlying" name="underlying" value="AAPL""#))
            let api = try await app.request(
                .post, "/api/strategies/iron-condor/preview", token: try await app.token("alice"), body: IronCondorRoutesTests.body()
            ).json()
            let maxLoss = try #require(IronCondorRoutesTests.decimal(api["max_loss"]))
            #expect(preview.text.contains(#"<dd id="condor-max-loss">\#(WebFormat.money(maxLoss))</dd>"#), "the API's figures")

            let clientOrderId = try #require(preview.text.range(of: #"name="client_order_id" value=""#)).upperBound
            let id = String(preview.text[clientOrderId...].prefix { $0 != "\"" })
            let token = try #require(preview.csrfToken)
            let submitted = try await browser.post(
                "/trade/iron-condor", [("csrf_token", token), ("action", "submit"), ("client_order_id", id)] + Self.fields)
            #expect(submitted.status == .seeOther)
            let location = try #require(submitted.headers[.location])
            #expect(try await browser.get(location).text.contains("filled at"))
            let orders = try await app.request(.get, "/api/trading/orders", token: try await app.token("alice")).json()
            let listed = try #require(orders["orders"] as? [[String: Any]])
            #expect(listed.count == 1 && (listed.first?["legs"] as? [Any])?.count == 4)
        }
    }

    @Test func aBadFieldIsShownNextToItAndAPostWithoutTheTokenIsRefused() async throws {
        try await TestApp.run(provider: IronCondorRoutesTests.market) { app in
            var browser = try await WebPageTests.signedIn(app)
            let fields = Self.fields.map { $0.0 == "wing_width" ? ("wing_width", "0") : $0 }
            let refused = try await Self.condor(&browser, fields, action: "preview")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"<p class="field-error" id="condor_wing_width-error">wing_width must be greater than 0"#))
            #expect(!refused.text.contains(#"id="condor-submit""#))
            let noToken = try await browser.post("/trade/iron-condor", [("action", "submit")] + Self.fields)
            #expect(noToken.status == .forbidden)
        }
    }
}
