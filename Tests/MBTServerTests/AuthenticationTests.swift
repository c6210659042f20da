import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTDomain
import MBTStorage
import MBTTestSupport
import Testing

@Suite("Bearer authentication and isolation")
struct AuthenticationTests {
    @Test func noTokenIs401() async throws {
        try await TestApp.run { app in
            let response = try await app.request(.get, "/api/trading/account")
            #expect(response.status == .unauthorized)
            #expect(try response.errorCode() == "unauthorized")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test(arguments: ["Bearer mbt_notarealtoken", "Basic YWxpY2U6c2VjcmV0", "Bearer", "mbt_token-without-scheme"])
    func badTokenIs401(header: String) async throws {
        try await TestApp.run { app in
            _ = try await app.user("alice")
            let response = try await app.request(.get, "/api/trading/account", headers: [.authorization: header])
            #expect(response.status == .unauthorized)
            #expect(try response.errorCode() == "unauthorized")
        }
    }

    @Test func eachTokenGetsItsRequestsPerMinuteThenA429WithRetryAfter() async throws {
        try await TestApp.run(apiRateLimit: 3) { app in
            let contract = try await OpenAPIContract.load(app)
            let (_, alice) = try await app.user("alice")
            let (_, bob) = try await app.user("bob")
            try await TestApp.startEarlyInAWallClockMinute()
            for remaining in [2, 1, 0] {
                let response = try await app.request(.get, "/api/trading/account", token: alice)
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Ratelimit-Remaining")!] == "\(remaining)")
            }
            let limited = try await app.request(.get, "/api/trading/account", token: alice)
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.errorCode() == "rate_limited")
            let wait = try #require(limited.headers[.retryAfter].flatMap(Int.init))
            #expect((1...60).contains(wait))
            contract.check(limited, .get, "/api/trading/account")
            // Another token has its own budget.
            #expect(try await app.request(.get, "/api/trading/account", token: bob).status == .ok)
        }
    }

    @Test func eachTokenSeesOnlyItsOwnAccount() async throws {
        try await TestApp.run { app in
            let (alice, aliceToken) = try await app.user("alice")
            let (bob, bobToken) = try await app.user("bob")
            let aliceView = try await app.request(.get, "/api/trading/account", token: aliceToken).json()
            let bobView = try await app.request(.get, "/api/trading/account", token: bobToken).json()
            #expect(aliceView["user_id"] as? Int64 == alice.id)
            #expect(aliceView["user_name"] as? String == "alice")
            #expect(bobView["user_id"] as? Int64 == bob.id)
            #expect(aliceView["id"] as? Int64 != bobView["id"] as? Int64)
        }
    }

    @Test func aChangeByOneUserLeavesAnotherUntouched() async throws {
        try await TestApp.run { app in
            let (_, aliceToken) = try await app.user("alice")
            let (_, bobToken) = try await app.user("bob")
            let changed = try await app.request(
                .patch, "/api/trading/account", token: aliceToken, body: #"{"default_tax_lot_method":"hifo"}"#)
            #expect(changed.status == .ok)
            #expect(try changed.json()["default_tax_lot_method"] as? String == "hifo")
            let bobView = try await app.request(.get, "/api/trading/account", token: bobToken).json()
            #expect(bobView["default_tax_lot_method"] as? String == "fifo")
        }
    }

    /// Once the token cache's second is over (docs/privacy.md; `TokenCacheTests` checks the
    /// lifetime itself), and never with a 5xx meanwhile.
    @Test func deletedUsersTokensStopWorking() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            #expect(try await app.request(.get, "/api/trading/account", token: token).status == .ok)
            try await UserStore(database: app.database).delete(named: "alice")
            let deleted = ContinuousClock.now
            var statuses: [HTTPResponse.Status] = []
            while statuses.last != .unauthorized && ContinuousClock.now - deleted < .seconds(30) {
                statuses.append(try await app.request(.get, "/api/trading/account", token: token).status)
                if statuses.last != .unauthorized { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(statuses.last == .unauthorized, "\(statuses)")
            #expect(statuses.allSatisfy { $0.code < 500 }, "\(statuses)")
        }
    }

    @Test func accountShowsDecimalsAsStrings() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("alice")
            let account = try await app.request(.get, "/api/trading/account", token: token).json()
            #expect(account["cash"] as? String == "100000.000000")
            #expect(account["starting_balance"] as? String == "100000.000000")
            #expect(account["currency"] as? String == "USD")
        }
    }
}
