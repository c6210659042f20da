import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTServer
import MBTStorage
import MBTTestSupport
import Synchronization
import Testing

@Suite("Web sign-in and sessions")
struct WebSignInTests {
    @Test func rootSendsAVisitorToTheSignInPage() async throws {
        try await TestApp.run { app in
            var browser = WebClient(app)
            let root = try await browser.get("/")
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/login")
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<label for="password">Password</label>"#))
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(!page.text.contains("<script>"), "no inline script")
            #expect(try await browser.get("/portfolio").headers[.location] == "/login")
        }
    }

    @Test func signInSetsASessionCookieAndShowsThePortfolio() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            let signIn = try await browser.signIn("alice", TestApp.Fixture.password)
            #expect(signIn.status == .seeOther)
            #expect(signIn.headers[.location] == "/portfolio")
            let cookie = try #require(signIn.setCookie("mbt_session"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))
            let portfolio = try await browser.get("/portfolio")
            #expect(portfolio.status == .ok)
            #expect(portfolio.text.contains(#"<strong id="cash">$100,000.00</strong>"#))
            #expect(portfolio.text.contains(#"<strong id="signed-in-user">alice</strong>"#))
            #expect(portfolio.text.contains("<svg class=\"curve\""))
            // The session is in the database, so any server on it knows it.
            let rows = try await app.database.withConnection { db in try await db.select().column("id").from("web_sessions").all() }
            #expect(rows.count == 1)
        }
    }

    @Test func theCookieIsSecureBehindTLS() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            let token = try #require(try await browser.get("/login").csrfToken)
            let signIn = try await browser.post(
                "/login", [("csrf_token", token), ("username", "alice"), ("password", TestApp.Fixture.password)],
                headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(try #require(signIn.setCookie("mbt_session")).contains("Secure"))
        }
    }

    @Test func aWrongPasswordIsRefused() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            let refused = try await browser.signIn("alice", "not the password")
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("Wrong user name or password."))
            #expect(refused.setCookie("mbt_session") == nil)
            let unknown = try await browser.signIn("nobody", "whatever123")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.text.contains("Wrong user name or password."))
            #expect(try await browser.get("/portfolio").status == .seeOther)
        }
    }

    @Test func aUserWithoutAPasswordCannotSignIn() async throws {
        try await TestApp.run { app in
            _ = try await app.user("tokenonly")
            var browser = WebClient(app)
            #expect(try await browser.signIn("tokenonly", "").status == .unauthorized)
            #expect(try await browser.signIn("tokenonly", "anything-at-all").status == .unauthorized)
        }
    }

    @Test func failedSignInsAreLimitedPerUser() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            for _ in 0..<5 { #expect(try await browser.signIn("alice", "guess-guess").status == .unauthorized) }
            let limited = try await browser.signIn("alice", TestApp.Fixture.password)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.contains("Too many failed sign-ins for this user or from this address"))
            #expect(limited.headers[.retryAfter] == "900")
            #expect(limited.setCookie("mbt_session") == nil)
        }
    }

    @Test func failedSignInsAreLimitedPerAddress() async throws {
        var settings = WebSettings()
        settings.maxFailuresPerAddress = 3
        try await TestApp.run(webSettings: settings) { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            for name in ["a1", "a2", "a3"] { #expect(try await browser.signIn(name, "guess-guess").status == .unauthorized) }
            #expect(try await browser.signIn("alice", TestApp.Fixture.password).status == .tooManyRequests)
        }
    }

    /// A failed sign-in sent as if through a proxy that appended `address` to X-Forwarded-For.
    private static func failThroughProxy(_ browser: inout WebClient, _ name: String, address: String) async throws -> TestResponse {
        let token = try #require(try await browser.get("/login").csrfToken)
        return try await browser.post(
            "/login", [("csrf_token", token), ("username", name), ("password", "guess-guess")],
            headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9, \(address)"])
    }

    @Test func behindAProxyTheLimitCountsTheAddressTheProxyAppended() async throws {
        var settings = WebSettings()
        settings.maxFailuresPerAddress = 3
        settings.trustForwardedFor = true
        try await TestApp.run(webSettings: settings) { app in
            var browser = WebClient(app)
            for name in ["a1", "a2", "a3"] {
                let status = try await Self.failThroughProxy(&browser, name, address: "198.51.100.1").status
                #expect(status == .unauthorized)
            }
            let limited = try await Self.failThroughProxy(&browser, "a4", address: "198.51.100.1").status
            #expect(limited == .tooManyRequests)
            // Another client behind the same proxy is not held back by the first one's failures.
            let other = try await Self.failThroughProxy(&browser, "a5", address: "198.51.100.2").status
            #expect(other == .unauthorized)
        }
    }

    @Test func withoutTheProxySettingXForwardedForIsIgnored() async throws {
        var settings = WebSettings()
        settings.maxFailuresPerAddress = 3
        try await TestApp.run(webSettings: settings) { app in
            var browser = WebClient(app)
            for (index, name) in ["a1", "a2", "a3"].enumerated() {
                let status = try await Self.failThroughProxy(&browser, name, address: "198.51.100.\(index)").status
                #expect(status == .unauthorized)
            }
            // A made-up header does not buy a fresh address: the connection's is what counts.
            let limited = try await Self.failThroughProxy(&browser, "a4", address: "198.51.100.9").status
            #expect(limited == .tooManyRequests)
        }
    }

    @Test func signInWithoutTheCSRFTokenIsRefused() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            _ = try await browser.get("/login")
            let noField = try await browser.post("/login", [("username", "alice"), ("password", TestApp.Fixture.password)])
            #expect(noField.status == .forbidden)
            #expect(noField.setCookie("mbt_session") == nil)
            var stranger = WebClient(app)
            let noCookie = try await stranger.post(
                "/login", [("csrf_token", "made-up"), ("username", "alice"), ("password", TestApp.Fixture.password)])
            #expect(noCookie.status == .forbidden)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            try await browser.signIn("alice", TestApp.Fixture.password)
            let stolen = browser.cookies
            let token = try await browser.csrfToken()
            #expect(try await browser.post("/logout", []).status == .forbidden, "sign-out needs the CSRF token too")
            let out = try await browser.post("/logout", [("csrf_token", token)])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/login")
            #expect(browser.cookies["mbt_session"] == nil)
            var replay = WebClient(app)
            replay.cookies = stolen
            #expect(try await replay.get("/portfolio").headers[.location] == "/login", "the old cookie is dead on the server")
        }
    }

    @Test func sessionsEndWhenIdleAndAtTheirAbsoluteExpiry() async throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var settings = WebSettings()
        settings.now = { now.withLock { $0 } }
        try await TestApp.run(webSettings: settings) { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            try await browser.signIn("alice", TestApp.Fixture.password)
            // Background refreshes do not keep a session alive.
            now.withLock { $0 += 3600 }
            #expect(try await browser.get("/portfolio/live", headers: [HTTPField.Name("X-MBT-Refresh")!: "1"]).status == .ok)
            now.withLock { $0 += 3601 }
            let refresh = try await browser.get("/portfolio/live", headers: [HTTPField.Name("X-MBT-Refresh")!: "1"])
            #expect(refresh.status == .unauthorized, "idle for two hours")
            #expect(try await browser.get("/portfolio").headers[.location] == "/login")

            try await browser.signIn("alice", TestApp.Fixture.password)
            for _ in 0..<11 {
                now.withLock { $0 += 3600 }
                #expect(try await browser.get("/portfolio").status == .ok)
            }
            now.withLock { $0 += 3600 }
            #expect(try await browser.get("/portfolio").headers[.location] == "/login", "twelve hours after sign-in")
        }
    }

    @Test func aNewPasswordSignsEveryBrowserOut() async throws {
        try await TestApp.run { app in
            try await app.webUser("alice")
            var browser = WebClient(app)
            try await browser.signIn("alice", TestApp.Fixture.password)
            try await UserStore(database: app.database).setPasswordHash(
                WebPasswords.hash("a new password", cost: 4), forUserNamed: "alice", at: TestApp.now)
            #expect(try await browser.get("/portfolio").status == .seeOther)
            #expect(try await browser.signIn("alice", TestApp.Fixture.password).status == .unauthorized)
            #expect(try await browser.signIn("alice", "a new password").status == .seeOther)
        }
    }

    @Test func bearerTokensStillWorkAndDoNotOpenPages() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .ok)
            #expect(try await app.request(.get, "/portfolio", token: token).headers[.location] == "/login")
        }
    }
}
