import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTServer
import MBTStorage
import MBTTestSupport
import MBTTrading
import SQLKit
import Testing

/// The admin page's reset: it names the account and what will happen, then wants the user's name
/// typed, and only then resets it through the same code as `POST /api/trading/paper/reset`.
@Suite("Web: admin reset with a two-step confirmation")
struct WebAdminResetTests {
    /// Alice holds 10 AAPL and rests a limit; the admin is signed in.
    static func setUp(_ app: TestApp.Fixture) async throws -> WebClient {
        var alice = try await WebPageTests.signedIn(app, "alice")
        _ = try await WebPageTests.order(&alice, WebTradePreviewTests.ticket("AAPL", "buy", "10"))
        _ = try await WebPageTests.order(&alice, WebTradePreviewTests.ticket("AAPL", "buy", "1", type: "limit", limit: "150"))
        try await app.webUser("root", role: .admin)
        var admin = WebClient(app)
        #expect(try await admin.signIn("root", TestApp.Fixture.password).status == .seeOther)
        return admin
    }

    @Test func theResetAsksTwiceThenResetsAndTheLedgerReconciles() async throws {
        try await TestApp.run { app in
            var admin = try await Self.setUp(app)
            let start = try await admin.get("/admin/reset")
            #expect(start.status == .ok && start.text.contains(#"<label for="user">User name</label>"#))
            #expect(start.text.contains(#"href="/admin/reset" aria-current="page""#))

            let confirm = try await admin.get("/admin/reset?user=alice").text
            #expect(confirm.contains("Reset the paper account of alice?"))
            #expect(confirm.contains("cancel 1 resting order(s)"))
            #expect(
                confirm.contains(
                    #"archive 1 open position(s), each closed at its average cost: <span class="position">long 10 AAPL</span>"#))
            #expect(confirm.contains("put the cash from $98,273.00 back to the starting balance of $100,000.00"))
            #expect(confirm.contains(#"href="/admin/reset/confirm?user=alice""#))
            // The first step changes nothing.
            #expect(try await self.cash(app, "alice") == "98273.000000")

            let typed = try await admin.get("/admin/reset/confirm?user=alice")
            #expect(typed.text.contains("Type the user name <strong>alice</strong> to confirm"))
            let token = try #require(typed.csrfToken)
            let noToken = try await admin.post("/admin/reset", [("user", "alice"), ("confirm_name", "alice")])
            #expect(noToken.status == .forbidden)
            let wrong = try await admin.post("/admin/reset", [("csrf_token", token), ("user", "alice"), ("confirm_name", "alic")])
            #expect(wrong.status == .unprocessableContent)
            #expect(
                wrong.text.contains(
                    #"<p class="field-error" id="confirm_name-error" role="alert">Type alice exactly to confirm the reset.</p>"#))
            #expect(try await self.cash(app, "alice") == "98273.000000")

            let done = try await admin.post("/admin/reset", [("csrf_token", token), ("user", "alice"), ("confirm_name", "alice")])
            #expect(done.status == .seeOther && done.headers[.location] == "/admin/reset?done=alice")
            #expect(try await admin.get("/admin/reset?done=alice").text.contains("The paper account of alice was reset."))
            #expect(try await self.cash(app, "alice") == "100000.000000")
            let report = try await LedgerVerifier(database: app.database).verify()
            #expect(report.violations.isEmpty, "\(report.violations)")
        }
    }

    @Test func afterAResetTheGoLiveCardCountsOnlyWhatCameAfterIt() async throws {
        var settings = WebSettings()
        settings.goLive = PaperProfitableGate(minimumTradingDays: 1, minimumClosedTrades: 1)
        try await TestApp.run(webSettings: settings) { app in
            var admin = try await Self.setUp(app)
            let alice = try #require(try await UserStore(database: app.database).user(named: "alice"))
            var browser = WebClient(app)
            #expect(try await browser.signIn("alice", TestApp.Fixture.password).status == .seeOther)
            let snapshots = SnapshotStore(database: app.database)
            func snapshot(_ date: MarketDate) async throws {
                _ = try await snapshots.insert(
                    [.init(userId: alice.id, date: date, equity: 100_000, cash: 100_000, positionsJSON: "[]")], at: TestApp.now)
            }
            func startAt(_ balance: Decimal6) async throws {
                try await app.database.withConnection { db in
                    try await db.update("paper_accounts").set("starting_balance", to: SQLBind(StoredDecimal(balance)))
                        .where("user_id", .equal, SQLBind(alice.id)).run()
                }
            }
            try await snapshot(TestApp.expiry.adding(days: -1))
            _ = try await WebPageTests.order(&browser, WebTradePreviewTests.ticket("AAPL", "sell", "4"))
            try await startAt(90_000)
            #expect(try await browser.get("/portfolio").text.contains("Ready to go live?"), "passes before the reset")

            let token = try await admin.csrfToken(from: "/admin/reset/confirm?user=alice")
            _ = try await admin.post("/admin/reset", [("csrf_token", token), ("user", "alice"), ("confirm_name", "alice")])
            // Cash is back to 90,000; start lower so that equity alone would pass.
            try await startAt(80_000)
            #expect(!(try await browser.get("/portfolio").text.contains("Ready to go live?")), "no snapshot since the reset")
            try await snapshot(TestApp.expiry)
            #expect(!(try await browser.get("/portfolio").text.contains("Ready to go live?")), "the reset's own fills are no trades")
            _ = try await WebPageTests.order(&browser, WebTradePreviewTests.ticket("AAPL", "buy", "2"))
            _ = try await WebPageTests.order(&browser, WebTradePreviewTests.ticket("AAPL", "sell", "1"))
            #expect(try await browser.get("/portfolio").text.contains("Ready to go live?"), "a trade closed since the reset")
        }
    }

    private func cash(_ app: TestApp.Fixture, _ name: String) async throws -> String? {
        try await app.request(.get, "/api/trading/account", token: try await app.token(name)).json()["cash"] as? String
    }

    @Test func theTradingKillSwitchRefusesTheResetAsTheAPIDoes() async throws {
        try await TestApp.run { app in
            var admin = try await Self.setUp(app)
            let token = try await admin.csrfToken(from: "/admin/reset/confirm?user=alice")
            app.environment["MBT_TRADING_DISABLED"] = "1"
            let refused = try await admin.post("/admin/reset", [("csrf_token", token), ("user", "alice"), ("confirm_name", "alice")])
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.text.contains("accounts cannot be reset"))
            let (_, adminToken) = try await app.user("ops", role: .admin)
            let api = try await app.request(.post, "/api/trading/paper/reset", token: adminToken, body: #"{"user_name":"alice"}"#)
            #expect(api.status == .serviceUnavailable)
            app.environment["MBT_TRADING_DISABLED"] = nil
            #expect(try await self.cash(app, "alice") == "98273.000000")
        }
    }

    @Test func anUnknownUserIsNamedNextToTheField() async throws {
        try await TestApp.run { app in
            var admin = try await Self.setUp(app)
            let response = try await admin.get("/admin/reset?user=nobody")
            #expect(response.status == .notFound)
            #expect(response.text.contains(#"<p class="field-error" id="user-error">No user named nobody."#))
            #expect(response.text.contains(#"aria-invalid="true" aria-describedby="user-error""#))
        }
    }

    @Test func anyoneButAnAdminGetsNotFoundAndNoLink() async throws {
        try await TestApp.run { app in
            _ = try await Self.setUp(app)
            var alice = WebClient(app)
            #expect(try await alice.signIn("alice", TestApp.Fixture.password).status == .seeOther)
            let page = try await alice.get("/portfolio").text
            #expect(!page.contains("/admin/reset"))
            #expect(try await alice.get("/admin/reset?user=alice").status == .notFound)
            #expect(try await alice.get("/admin/reset/confirm?user=alice").status == .notFound)
            let token = try await alice.csrfToken()
            let post = try await alice.post("/admin/reset", [("csrf_token", token), ("user", "alice"), ("confirm_name", "alice")])
            #expect(post.status == .notFound)
            #expect(try await self.cash(app, "alice") == "98273.000000")
        }
    }
}
