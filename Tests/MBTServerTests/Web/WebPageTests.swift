import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTServer
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Web pages: portfolio, order ticket, history")
struct WebPageTests {
    /// A signed-in browser for a new user `name`.
    static func signedIn(_ app: TestApp.Fixture, _ name: String = "alice") async throws -> WebClient {
        try await app.webUser(name)
        var browser = WebClient(app)
        #expect(try await browser.signIn(name, TestApp.Fixture.password).status == .seeOther)
        return browser
    }

    static func order(_ browser: inout WebClient, _ fields: [(String, String)]) async throws -> TestResponse {
        let token = try await browser.csrfToken()
        return try await browser.post("/trade/orders", [("csrf_token", token)] + fields)
    }

    @Test func aMarketBuyFromTheTicketShowsInThePortfolio() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let placed = try await Self.order(
                &browser, [("symbol", "aapl"), ("side", "buy"), ("qty", "10"), ("order_type", "market"), ("time_in_force", "day")])
            #expect(placed.status == .seeOther)
            let location = try #require(placed.headers[.location])
            #expect(location.hasPrefix("/trade?order="))
            let confirmation = try await browser.get(location)
            #expect(confirmation.text.contains("buy 10 AAPL at market, filled at 172.70."))
            let live = try await browser.get("/portfolio/live").text
            #expect(live.contains(#"<strong id="cash">$98,273.00</strong>"#))
            #expect(live.contains("<th scope=\"row\">AAPL</th><td>long</td><td class=\"num\">10</td><td class=\"num\">172.70</td>"))
            // The same figures as the JSON API.
            let account = try await app.request(.get, "/api/trading/account", token: try await app.token("alice")).json()
            #expect(account["cash"] as? String == "98273.000000")
        }
    }

    @Test func aRestingLimitCanBeCanceledAndHistoryShowsBoth() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            _ = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "2"), ("order_type", "market")])
            let rest = try await Self.order(
                &browser,
                [
                    ("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "limit"), ("limit_price", "150"),
                    ("time_in_force", "gtc"),
                ])
            let id = try #require(rest.headers[.location]?.split(separator: "=").last.map(String.init))
            let trade = try await browser.get("/trade")
            #expect(trade.text.contains("<tr id=\"resting-\(id)\">"))
            #expect(trade.text.contains("open orders reserve $150.00"))
            let token = try #require(trade.csrfToken)
            let canceled = try await browser.post("/trade/orders/\(id)/cancel", [("csrf_token", token)])
            #expect(canceled.status == .seeOther)
            #expect(try await browser.get("/trade/resting").text.contains("No resting orders."))
            let again = try await browser.post("/trade/orders/\(id)/cancel", [("csrf_token", token)])
            #expect(again.status == .conflict)
            #expect(again.text.contains("is already canceled"))

            let history = try await browser.get("/history").text
            #expect(history.contains("<tr id=\"order-\(id)\">"))
            #expect(history.contains(">canceled<details><summary>Why</summary>canceled by user</details>"))
            #expect(history.contains(">filled</td>"))
            #expect(history.contains("<th scope=\"row\">AAPL</th><td>long</td><td>open</td><td class=\"num\">2</td>"), "the lot")
            let filled = try await browser.get("/history?status=filled").text
            #expect(!filled.contains("<tr id=\"order-\(id)\">"))
            #expect(try await browser.get("/history?symbol=msft").text.contains("No orders match."))
            #expect(try await browser.get("/history?from=2026-03-21").text.contains("No orders match."))
            #expect(try await browser.get("/history?from=2026-03-20&to=2026-03-20").text.contains("<tr id=\"order-\(id)\">"))
            #expect(try await browser.get("/history?from=yesterday").text.contains("Dates must be written YYYY-MM-DD"))
        }
    }

    @Test func aRestingLimitCanBeReplaced() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let rest = try await Self.order(
                &browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "100"), ("order_type", "limit"), ("limit_price", "150")])
            let id = try #require(rest.headers[.location]?.split(separator: "=").last.map(String.init))
            #expect(try await browser.get("/trade/resting").text.contains(#"<a href="/trade/orders/\#(id)/replace""#))
            let form = try await browser.get("/trade/orders/\(id)/replace")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<input id="qty" name="qty" value="100""#))
            #expect(form.text.contains(#"<input id="limit_price" name="limit_price" value="150""#))
            let token = try #require(form.csrfToken)
            let unchanged = try await browser.post(
                "/trade/orders/\(id)/replace", [("csrf_token", token), ("qty", "100"), ("limit_price", "150"), ("time_in_force", "day")])
            #expect(unchanged.status == .unprocessableContent)
            #expect(unchanged.text.contains("nothing to change"))
            let bad = try await browser.post(
                "/trade/orders/\(id)/replace", [("csrf_token", token), ("qty", "100"), ("limit_price", "150.123")])
            #expect(
                bad.text.contains(
                    #"<p class="field-error" id="limit_price-error">limit_price 150.123000 is not a multiple of the tick size 0.010000 for this price</p>"#
                ))
            let replaced = try await browser.post(
                "/trade/orders/\(id)/replace", [("csrf_token", token), ("qty", "100"), ("limit_price", "151"), ("time_in_force", "gtc")])
            #expect(replaced.status == .seeOther)
            let newId = try #require(replaced.headers[.location]?.split(separator: "=").last.map(String.init))
            #expect(newId != id)
            let resting = try await browser.get("/trade/resting").text
            #expect(resting.contains("<tr id=\"resting-\(newId)\">"))
            #expect(resting.contains("151.00"))
            #expect(resting.contains("GTC"))
            #expect(!resting.contains("<tr id=\"resting-\(id)\">"))
            #expect(
                try await browser.post("/trade/orders/\(id)/replace", [("csrf_token", token), ("qty", "5")]).status == .unprocessableContent
            )
            #expect(try await browser.post("/trade/orders/\(id)/replace", [("qty", "5")]).status == .forbidden)

            var bob = try await Self.signedIn(app, "bob")
            #expect(try await bob.get("/trade/orders/\(newId)/replace").status == .notFound)
            let bobToken = try await bob.csrfToken()
            #expect(try await bob.post("/trade/orders/\(newId)/replace", [("csrf_token", bobToken), ("qty", "1")]).status == .notFound)
        }
    }

    @Test func historyShowsTheYearsTaxSummaryAndOffersForm8949() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            _ = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "10"), ("order_type", "market")])
            _ = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "sell"), ("qty", "4"), ("order_type", "market")])
            let history = try await browser.get("/history").text
            #expect(history.contains("Tax summary 2026"))
            #expect(history.contains(#"<tr><th scope="row">Short-term gain</th><td class="num loss">-$0.40</td></tr>"#))
            #expect(history.contains(#"<a href="/history/form-8949.csv?year=2026" id="form-8949" download>"#))
            let csv = try await browser.get("/history/form-8949.csv?year=2026")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let api = try await app.request(.get, "/api/trading/tax/8949?year=2026", token: try await app.token("alice"))
            #expect(csv.text == String(buffer: api.body), "the API's own Form 8949")
            #expect(csv.text.contains("AAPL"))
            #expect(try await browser.get("/history?year=2025").text.contains("Tax summary 2025"))
            #expect(try await browser.get("/history?year=nonsense").text.contains("Tax summary 2026"))
            var stranger = WebClient(app)
            #expect(try await stranger.get("/history/form-8949.csv?year=2026").headers[.location] == "/login")
        }
    }

    @Test func theTicketShowsTheSymbolsQuote() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let trade = try await browser.get("/trade?symbol=aapl").text
            #expect(trade.contains(#"<div id="quote" aria-live="polite" data-refresh="/trade/quote?symbol=AAPL">"#))
            #expect(trade.contains("<strong>AAPL</strong> bid 172.60 · ask 172.70 · mid 172.65"))
            #expect(trade.contains(#"<input id="symbol" name="symbol" value="AAPL""#))
            #expect(try await browser.get("/trade/quote?symbol=msft").text.contains("<strong>MSFT</strong> bid 410.01 · ask 410.05"))
            #expect(try await browser.get("/trade/quote?symbol=NOPE").text.contains("No quote for <strong>NOPE</strong> right now."))
            #expect(try await browser.get("/trade/quote?symbol=").text.isEmpty)
            #expect(try await browser.get("/trade/quote?symbol=%3Cb%3E").text.isEmpty)
            #expect(!(try await browser.get("/trade").text.contains("quote-line")))
        }
    }

    @Test func theGoLiveCardShowsOnceTheAccountPassesTheGate() async throws {
        var settings = WebSettings()
        settings.goLive = PaperProfitableGate(minimumTradingDays: 1, minimumClosedTrades: 1)
        try await TestApp.run(webSettings: settings) { app in
            var browser = try await Self.signedIn(app)
            let user = try #require(try await UserStore(database: app.database).user(named: "alice"))
            #expect(!(try await browser.get("/portfolio").text.contains("Ready to go live?")), "no snapshots yet")
            _ = try await SnapshotStore(database: app.database).insert(
                [.init(userId: user.id, date: TestApp.expiry.adding(days: -1), equity: 100_000, cash: 100_000, positionsJSON: "[]")],
                at: TestApp.now)
            _ = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "10"), ("order_type", "market")])
            #expect(!(try await browser.get("/portfolio").text.contains("Ready to go live?")), "no closed trade yet")
            _ = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "sell"), ("qty", "4"), ("order_type", "market")])
            #expect(!(try await browser.get("/portfolio").text.contains("Ready to go live?")), "equity below the starting balance")
            // An account that started lower is now above its starting balance.
            try await app.database.withConnection { db in
                try await db.update("paper_accounts").set("starting_balance", to: SQLBind(StoredDecimal(90_000)))
                    .where("user_id", .equal, SQLBind(user.id)).run()
            }
            let page = try await browser.get("/portfolio").text
            #expect(page.contains(#"<h2 id="go-live-heading">Ready to go live?</h2>"#))
            #expect(!(try await browser.get("/portfolio/live").text.contains("Ready to go live?")), "not part of the refresh")
        }
    }

    @Test func adminsSeeTheJobRunsAndNobodyElseDoes() async throws {
        try await TestApp.run { app in
            try await app.webUser("root", role: .admin)
            var admin = WebClient(app)
            try await admin.signIn("root", TestApp.Fixture.password)
            let page = try await admin.get("/admin/jobs")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<a href="/admin/jobs" aria-current="page">Jobs</a>"#))
            #expect(page.text.contains(#"<h2 id="job-paper.eod_snapshot">paper.eod_snapshot</h2>"#))
            #expect(page.text.contains("Next run: 2026-03-20 17:00."))
            var user = try await Self.signedIn(app, "alice")
            #expect(try await user.get("/admin/jobs").status == .notFound)
            #expect(!(try await user.get("/portfolio").text.contains("/admin/jobs")))
        }
    }

    @Test func optionsAreListedUnderTheirUnderlying() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let call = try OptionSymbol(root: "AAPL", expiry: TestApp.expiry, right: .call, strike: 175).description
            _ = try await Self.order(&browser, [("symbol", call), ("side", "buy"), ("qty", "1"), ("order_type", "market")])
            _ = try await Self.order(&browser, [("symbol", "MSFT"), ("side", "buy"), ("qty", "1"), ("order_type", "market")])
            _ = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "market")])
            let live = try await browser.get("/portfolio/live").text
            let aapl = try #require(live.range(of: #"<tr><th scope="row">AAPL</th>"#))
            let option = try #require(
                live.range(of: #"<tr class="option"><th scope="row">\#(call) <span class="under">AAPL option</span></th>"#))
            let msft = try #require(live.range(of: #"<tr><th scope="row">MSFT</th>"#))
            #expect(aapl.lowerBound < option.lowerBound && option.lowerBound < msft.lowerBound)
        }
    }

    @Test func historyPagesWithTheCursor() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            for _ in 0..<51 {
                _ = try await Self.order(
                    &browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "limit"), ("limit_price", "100")])
            }
            let first = try await browser.get("/history?status=accepted").text
            let range = try #require(first.range(of: #"<a href="/history?status=accepted&amp;before="#))
            let cursor = String(first[range.upperBound...].prefix { $0.isNumber })
            let second = try await browser.get("/history?status=accepted&before=\(cursor)").text
            #expect(second.components(separatedBy: "<tr id=\"order-").count == 2, "the 51st order on page two")
            #expect(!second.contains(#"id="older""#))
        }
    }

    @Test func refusalsAppearNextToTheirField() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let missing = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("order_type", "market")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains(#"<p class="field-error" id="qty-error">qty is required</p>"#))
            #expect(missing.text.contains(#"value="AAPL""#), "typed values are kept")
            let noLimit = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "limit")])
            #expect(noLimit.text.contains(#"id="limit_price-error""#))
            let unknown = try await Self.order(&browser, [("symbol", "NOPE"), ("side", "buy"), ("qty", "1"), ("order_type", "market")])
            #expect(unknown.text.contains(#"id="symbol-error""#))
            let tooBig = try await Self.order(&browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "100000"), ("order_type", "market")])
            #expect(tooBig.text.contains(#"<p class="error" role="alert" id="form-error">Order "#))
            #expect(tooBig.text.contains("rejected"))
            let corrected = try await Self.order(
                &browser, [("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "market"), ("client_order_id", "ticket-1")])
            #expect(corrected.status == .seeOther)
            let refusedOnce = try await Self.order(
                &browser,
                [("symbol", "AAPL"), ("side", "buy"), ("qty", "100000"), ("order_type", "market"), ("client_order_id", "ticket-2")])
            #expect(!refusedOnce.text.contains(#"value="ticket-2""#), "the corrected ticket gets a new client_order_id")
            let fixed = try await Self.order(
                &browser,
                [
                    ("symbol", "AAPL"), ("side", "buy"), ("qty", "2"), ("order_type", "market"),
                    ("client_order_id", refusedOnce.clientOrderId ?? ""),
                ])
            let placed = try await browser.get(try #require(fixed.headers[.location])).text
            #expect(placed.contains("buy 2 AAPL at market, filled at"))
        }
    }

    @Test func everyValueIsEscaped() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let attack = #""><script>alert(1)</script>"#
            let page = try await Self.order(&browser, [("symbol", attack), ("side", "buy"), ("qty", attack), ("order_type", "market")])
            #expect(!page.text.contains("<script>alert(1)</script>"))
            #expect(page.text.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
            var visitor = WebClient(app)
            let signIn = try await visitor.signIn(attack, "whatever-pw")
            #expect(!signIn.text.contains("<script>alert(1)</script>"))
            #expect(signIn.text.contains(#"value="&quot;&gt;&lt;script&gt;"#))
            let history = try await browser.get("/history?symbol=%3Cb%3Ex").text
            #expect(history.contains(#"value="&lt;B&gt;X""#))
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let fields = [("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "market")]
            #expect(try await browser.post("/trade/orders", fields).status == .forbidden)
            #expect(try await browser.post("/trade/orders", [("csrf_token", "forged")] + fields).status == .forbidden)
            let orders = try await app.database.withConnection { db in try await db.select().column("id").from("paper_orders").all() }
            #expect(orders.isEmpty)
        }
    }

    @Test func anotherUsersOrderIsNotFound() async throws {
        try await TestApp.run { app in
            var alice = try await Self.signedIn(app, "alice")
            let rest = try await Self.order(
                &alice, [("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "limit"), ("limit_price", "100")])
            let id = try #require(rest.headers[.location]?.split(separator: "=").last.map(String.init))
            var bob = try await Self.signedIn(app, "bob")
            let token = try await bob.csrfToken()
            let cancel = try await bob.post("/trade/orders/\(id)/cancel", [("csrf_token", token)])
            #expect(cancel.status == .notFound)
            #expect(cancel.headers[.contentType] == "text/html; charset=utf-8")
            #expect(try await bob.get("/trade?order=\(id)").text.contains("Order \(id)") == false)
            #expect(try await alice.get("/trade/resting").text.contains("<tr id=\"resting-\(id)\">"), "still resting")
        }
    }

    @Test func flagOffEveryPageIsNotFound() async throws {
        try await TestApp.run(deployment: .production) { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            for path in ["/", "/login", "/portfolio", "/portfolio/live", "/trade", "/trade/resting", "/history", "/assets/app.js"] {
                let response = try await browser.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            #expect(try await browser.post("/login", [("username", "alice"), ("password", TestApp.Fixture.password)]).status == .notFound)
        }
    }

    @Test func killSwitchesShowABannerAndDisableTheForms() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let token = try await browser.csrfToken()
            app.environment["MBT_NEW_ORDERS_DISABLED"] = "1"
            let trade = try await browser.get("/trade").text
            #expect(trade.contains("New orders are temporarily disabled by the operator"))
            #expect(trade.contains("<fieldset disabled>"))
            let refused = try await browser.post(
                "/trade/orders", [("csrf_token", token), ("symbol", "AAPL"), ("side", "buy"), ("qty", "1"), ("order_type", "market")])
            #expect(refused.status == .serviceUnavailable)
            app.environment["MBT_NEW_ORDERS_DISABLED"] = nil
            app.environment["MBT_TRADING_DISABLED"] = "1"
            let portfolio = try await browser.get("/portfolio")
            #expect(portfolio.status == .ok)
            #expect(portfolio.text.contains("Trading is temporarily disabled by the operator"))
            app.environment["MBT_TRADING_DISABLED"] = nil
            #expect(try await browser.get("/trade").text.contains("<fieldset>"))
        }
    }

    @Test func assetsAreServedAndThePortfolioRefreshesAFragment() async throws {
        try await TestApp.run { app in
            var browser = try await Self.signedIn(app)
            let script = try await browser.get("/assets/app.js")
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.text.contains("X-MBT-Refresh"))
            #expect(try await browser.get("/assets/app.css").status == .ok)
            #expect(try await browser.get("/assets/nope.js").status == .notFound)
            let page = try await browser.get("/portfolio?range=1y").text
            #expect(page.contains(#"<div id="live" data-refresh="/portfolio/live?range=1y">"#))
            let fragment = try await browser.get("/portfolio/live?range=1y").text
            #expect(!fragment.contains("<html"))
            #expect(fragment.contains("Equity curve (1Y)"))
        }
    }
}

extension TestResponse {
    /// The order ticket's `client_order_id`.
    var clientOrderId: String? {
        guard let range = text.range(of: #"name="client_order_id" value=""#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}

extension TestApp.Fixture {
    /// A fresh API token for `name`.
    func token(_ name: String) async throws -> String {
        try await UserStore(database: database).issueToken(forUserNamed: name, at: TestApp.now)
    }
}
