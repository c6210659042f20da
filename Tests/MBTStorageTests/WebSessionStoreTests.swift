import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Web passwords, sessions and failed sign-ins")
struct WebSessionStoreTests {
    static let now = Date(timeIntervalSince1970: 1_774_000_000)

    @Test func passwordHashesAreStoredAndReplaced() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            _ = try await users.create(name: "alice", passwordHash: "$2b$04$first", at: Self.now)
            _ = try await users.create(name: "bob", at: Self.now)
            #expect(try await users.credentials(named: "alice")?.passwordHash == "$2b$04$first")
            #expect(try await users.credentials(named: "bob")?.passwordHash == nil)
            #expect(try await users.credentials(named: "carol") == nil)
            try await users.setPasswordHash("$2b$04$second", forUserNamed: "alice", at: Self.now)
            #expect(try await users.credentials(named: "alice")?.passwordHash == "$2b$04$second")
            await #expect(throws: StorageError.notFound("user 'carol'")) {
                try await users.setPasswordHash("x", forUserNamed: "carol", at: Self.now)
            }
        }
    }

    @Test func sessionsAreFoundByTheirCookieStoredOnlyAsAHash() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            let sessions = WebSessionStore(database: database)
            try await sessions.create(
                userId: user.id, token: "cookie-value", csrfToken: "csrf", at: Self.now, expiresAt: Self.now.addingTimeInterval(3600))
            let session = try #require(try await sessions.session(token: "cookie-value"))
            #expect(session.user == user)
            #expect(session.csrfToken == "csrf")
            #expect(session.lastSeenAt == Self.now)
            #expect(session.expiresAt == Self.now.addingTimeInterval(3600))
            #expect(try await sessions.session(token: "another") == nil)
            let stored = try await database.withConnection { db in
                try await db.select().column("token_hash").from("web_sessions").all(decodingColumn: "token_hash", as: String.self)
            }
            #expect(stored == [APIToken.hash("cookie-value")])

            try await sessions.touch(sessionId: session.id, at: Self.now.addingTimeInterval(60))
            #expect(try await sessions.session(token: "cookie-value")?.lastSeenAt == Self.now.addingTimeInterval(60))
            #expect(try await sessions.purge(at: Self.now.addingTimeInterval(120), idleSince: Self.now, failuresBefore: Self.now) == 0)
            #expect(try await sessions.purge(at: Self.now.addingTimeInterval(3600), idleSince: Self.now, failuresBefore: Self.now) == 1)
            #expect(try await sessions.session(token: "cookie-value") == nil)
        }
    }

    @Test func aNewPasswordOrDeletingTheUserEndsTheirSessions() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let user = try await users.create(name: "alice", at: Self.now).user
            let sessions = WebSessionStore(database: database)
            try await sessions.create(
                userId: user.id, token: "one", csrfToken: "c", at: Self.now, expiresAt: Self.now.addingTimeInterval(60))
            try await users.setPasswordHash("$2b$04$new", forUserNamed: "alice", at: Self.now)
            #expect(try await sessions.session(token: "one") == nil)
            try await sessions.create(
                userId: user.id, token: "two", csrfToken: "c", at: Self.now, expiresAt: Self.now.addingTimeInterval(60))
            try await users.delete(named: "alice")
            #expect(try await sessions.session(token: "two") == nil)
        }
    }

    @Test func failedSignInsAreCountedPerUserAndAddressWithinTheWindow() async throws {
        try await TestDatabase.withFresh { database in
            let sessions = WebSessionStore(database: database)
            try await sessions.recordFailure(userName: "alice", address: "10.0.0.1", at: Self.now.addingTimeInterval(-1000))
            try await sessions.recordFailure(userName: "alice", address: "10.0.0.1", at: Self.now)
            try await sessions.recordFailure(userName: "bob", address: "10.0.0.1", at: Self.now)
            let counted = try await sessions.failures(userName: "alice", address: "10.0.0.1", since: Self.now.addingTimeInterval(-900))
            #expect(counted.user == 1)
            #expect(counted.address == 2)
            try await sessions.clearFailures(userName: "alice")
            let cleared = try await sessions.failures(userName: "alice", address: "10.0.0.2", since: .distantPast)
            #expect(cleared.user == 0 && cleared.address == 0)
        }
    }
}
