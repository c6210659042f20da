import Foundation
import HTTPTypes
import HummingbirdTesting
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@testable import MBTServer

@Suite("Alpaca /v2: keys, authentication and the rate limit")
struct AlpacaAuthTests {
    @Test func aKeyPairAuthenticatesAndAWrongOneNeverSaysWhichPartWasWrong() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            #expect(alice.keyId.hasPrefix("PK") && alice.keyId.count == 20)
            #expect(alice.secret.count == 40)
            let account = try await alice.object(.get, "/v2/account")
            #expect(account["status"] as? String == "ACTIVE")

            let unauthorized = #"{"code":40110000,"message":"request is not authorized"}"#
            let attempts: [HTTPFields] = [
                [AlpacaCaller.keyIdHeader: alice.keyId, AlpacaCaller.secretHeader: alice.secret + "x"],
                [AlpacaCaller.keyIdHeader: "PK" + String(repeating: "A", count: 18), AlpacaCaller.secretHeader: alice.secret],
                [AlpacaCaller.keyIdHeader: alice.keyId],
                [AlpacaCaller.secretHeader: alice.secret],
                [:],
                [.authorization: "Bearer mbt_nope"],
            ]
            for headers in attempts {
                let response = try await app.request(.get, "/v2/account", headers: headers)
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body) == unauthorized)
            }
            // The secret is stored hashed, never as given.
            let stored = try await app.database.withConnection { db in
                try await db.select().column("secret_hash").from("api_keys").all().map {
                    try $0.decode(column: "secret_hash", as: String.self)
                }
            }
            #expect(stored.count == 1 && stored[0] != alice.secret && stored[0].count == 64)
        }
    }

    @Test func theBearerTokenWorksOnV2AndARevokedKeyStops() async throws {
        try await TestApp.run { app in
            let (_, token) = try await app.user("bob")
            let viaToken = try await app.request(.get, "/v2/account", token: token)
            #expect(viaToken.status == .ok)
            let keys = APIKeyStore(database: app.database)
            let key = try await keys.create(forUserNamed: "bob", at: TestApp.now)
            let headers: HTTPFields = [AlpacaCaller.keyIdHeader: key.keyId, AlpacaCaller.secretHeader: key.secret]
            #expect(try await app.request(.get, "/v2/account", headers: headers).status == .ok)
            try await keys.revoke(keyId: key.keyId, forUserNamed: "bob", at: TestApp.now)
            let revoked = try await app.request(.get, "/v2/account", headers: headers)
            #expect(revoked.status == .unauthorized)
            #expect(try revoked.alpacaCode() == 40_110_000)
            await #expect(throws: StorageError.self) { try await keys.revoke(keyId: key.keyId, forUserNamed: "bob", at: TestApp.now) }
            #expect(try await keys.keys(ofUserNamed: "bob").map { $0.revokedAt != nil } == [true])
        }
    }

    @Test func eachKeyGetsItsRequestsPerMinuteThenA429() async throws {
        try await TestApp.run(alpacaRateLimit: 3) { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let bob = try await AlpacaCaller.make(app, "bob")
            try await TestApp.startEarlyInAWallClockMinute()
            for remaining in [2, 1, 0] {
                let response = try await alice.request(.get, "/v2/clock")
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("X-Ratelimit-Limit")!] == "3")
                #expect(response.headers[HTTPField.Name("X-Ratelimit-Remaining")!] == "\(remaining)")
                let reset = try #require(response.headers[HTTPField.Name("X-Ratelimit-Reset")!].flatMap(Int.init))
                #expect(reset % 60 == 0 && reset > Int(Date().timeIntervalSince1970) - 1)
            }
            let limited = try await alice.request(.get, "/v2/clock")
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.alpacaCode() == 42_910_000)
            #expect(limited.headers[HTTPField.Name("X-Ratelimit-Remaining")!] == "0")
            // Another key has its own budget; errors carry the headers too.
            let other = try await bob.request(.get, "/v2/orders/not-a-uuid")
            #expect(other.status == .badRequest)
            #expect(other.headers[HTTPField.Name("X-Ratelimit-Remaining")!] == "2")
        }
    }

    /// Two limiters on one database stand for two `serve` processes: on PostgreSQL they share each
    /// key's budget; SQLite (one process) counts in memory.
    @Test func theLimitHoldsAcrossProcessesOnPostgreSQL() async throws {
        try await TestApp.run { app in
            let one = RateLimiter(limit: 3, database: app.database)
            let two = RateLimiter(limit: 3, database: app.database)
            let now = Date()
            var allowed: [Bool] = []
            for limiter in [one, two, one, two] { allowed.append(await limiter.take("PKSHARED", now: now).allowed) }
            let shared = app.database.dialect == .postgres
            #expect(allowed == (shared ? [true, true, true, false] : [true, true, true, true]))
            let other = await two.take("PKOTHER", now: now)
            #expect(other.allowed && other.headers[RateLimiter.remainingHeader] == "2")
            // The next minute starts afresh, and the counts of minutes before the last are deleted.
            #expect(await one.take("PKSHARED", now: now.addingTimeInterval(120)).allowed)
            if shared {
                let rows = try await app.database.withConnection { db in
                    try await db.raw("SELECT DISTINCT minute FROM alpaca_rate_limits").all()
                }
                #expect(rows.count == 1)
                let stored = try await app.database.withConnection { db in try await db.raw("SELECT key_hash FROM alpaca_rate_limits").all()
                }
                #expect(try stored.allSatisfy { try !$0.decode(column: "key_hash", as: String.self).contains("PK") })
            }
        }
    }

    @Test func unknownRoutesAndMethodsAnswerInAlpacasShapeNeverARedirect() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            let unknown = try await alice.request(.get, "/v2/nowhere")
            #expect(unknown.status == .notFound)
            #expect(try unknown.alpacaCode() == 40_410_000)
            let method = try await alice.request(.put, "/v2/orders")
            #expect(method.status == .methodNotAllowed)
            #expect(try method.alpacaCode() == 40_510_000)
            #expect(method.headers[.allow] != nil)
            let slash = try await alice.request(.get, "/v2/account/")
            #expect(slash.status.code < 300 || slash.status.code >= 400)
        }
    }

    @Test func theKillSwitchAnswersInAlpacasShape() async throws {
        try await TestApp.run { app in
            let alice = try await AlpacaCaller.make(app, "alice")
            app.environment["MBT_NEW_ORDERS_DISABLED"] = "1"
            let refused = try await alice.request(
                .post, "/v2/orders", body: #"{"symbol":"AAPL","qty":1,"side":"buy","type":"market","time_in_force":"day"}"#)
            #expect(refused.status == .serviceUnavailable)
            #expect(try refused.alpacaCode() == 50_310_000)
            // An exercise writes orders too; a watchlist is not an order.
            #expect(try await alice.request(.post, "/v2/positions/AAPL260320C00175000/exercise").status == .serviceUnavailable)
            #expect(try await alice.request(.post, "/v2/watchlists", body: #"{"name":"w"}"#).status == .ok)
            #expect(try await alice.request(.get, "/v2/orders").status == .ok)
        }
    }
}
