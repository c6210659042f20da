import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Users, accounts and tokens")
struct UserStoreTests {
    static let now = Date(timeIntervalSince1970: 1_774_000_000)

    @Test func createsTheUserTheirAccountAndATokenThatAuthenticates() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let created = try await users.create(name: "alice", role: .admin, tier: .pro, at: Self.now)
            #expect(created.user.name == "alice")
            #expect(created.user.role == .admin)
            #expect(created.user.tier == .pro)
            #expect(created.account.cashBalance == 100_000)
            #expect(created.token.hasPrefix(APIToken.prefix))

            #expect(try await users.user(forToken: created.token) == created.user)
            let account = try await AccountStore(database: database).account(ofUser: created.user.id)
            #expect(account.startingBalance == 100_000)
            #expect(account.cashBalance == 100_000)
            #expect(account.defaultTaxLotMethod == .fifo)
            #expect(account.status == .active)
        }
    }

    @Test func storesOnlyTheTokensHash() async throws {
        try await TestDatabase.withFresh { database in
            let created = try await UserStore(database: database).create(name: "alice", at: Self.now)
            let stored = try await database.withConnection { db in
                try await db.select().column("token_hash").from("api_tokens").all(decodingColumn: "token_hash", as: String.self)
            }
            #expect(stored == [APIToken.hash(created.token)])
            #expect(!stored.contains(created.token))
        }
    }

    @Test func refusesADuplicateNameAndWritesNothing() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            _ = try await users.create(name: "alice", at: Self.now)
            await #expect(throws: StorageError.duplicate("user 'alice'")) {
                try await users.create(name: "alice", tier: .proplus, at: Self.now)
            }
            #expect(try await users.list().count == 1)
            let accounts = try await database.withConnection { db in
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("paper_accounts")
                    .first(decodingColumn: "n", as: Int.self)
            }
            #expect(accounts == 1)
        }
    }

    @Test func concurrentCreatesOfOneNameMakeOneUser() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { (try? await users.create(name: "racer", at: Self.now)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            let names = try await users.list().map(\.name)
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(names == ["racer"])
        }
    }

    @Test func aNewTokenReplacesTheEarlierOnes() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let created = try await users.create(name: "alice", at: Self.now)
            let second = try await users.issueToken(forUserNamed: "alice", at: Self.now)
            #expect(second != created.token)
            #expect(try await users.user(forToken: second)?.id == created.user.id)
            #expect(try await users.user(forToken: created.token) == nil)
            await #expect(throws: StorageError.notFound("user 'nobody'")) {
                try await users.issueToken(forUserNamed: "nobody", at: Self.now)
            }
        }
    }

    @Test func unknownAndRevokedTokensAuthenticateNobody() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let created = try await users.create(name: "alice", at: Self.now)
            #expect(try await users.user(forToken: APIToken.generate()) == nil)
            #expect(try await users.user(forToken: "") == nil)
            try await database.withConnection { db in
                try await db.update("api_tokens").set("revoked_at", to: SQLBind(StoredTimestamp(Self.now))).run()
            }
            #expect(try await users.user(forToken: created.token) == nil)
        }
    }

    @Test func deletesByNameAndReportsUnknownNames() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let alice = try await users.create(name: "alice", at: Self.now)
            _ = try await users.create(name: "bob", at: Self.now)
            try await users.delete(named: "alice")
            #expect(try await users.list().map(\.name) == ["bob"])
            #expect(try await users.user(forToken: alice.token) == nil)
            await #expect(throws: StorageError.notFound("user 'alice'")) { try await users.delete(named: "alice") }
        }
    }

    @Test func recordsUserCreationInTheAuditLog() async throws {
        try await TestDatabase.withFresh { database in
            let created = try await UserStore(database: database).create(name: "alice", tier: .pro, at: Self.now)
            let row = try await database.withConnection { db in
                try await db.select().columns("action", "after_state", "occurred_at").from("audit_log")
                    .where("user_id", .equal, SQLBind(created.user.id)).first()
            }
            let entry = try #require(row)
            #expect(try entry.decode(column: "action", as: String.self) == "user_created")
            #expect(try entry.json("after_state").contains("\"tier\""))
            #expect(try entry.timestamp("occurred_at") == Self.now)
        }
    }

    @Test func tokensAreUnguessable() {
        let tokens = Set((0..<1000).map { _ in APIToken.generate() })
        #expect(tokens.count == 1000)
        #expect(tokens.allSatisfy { $0.count == APIToken.prefix.count + 43 })
    }
}
