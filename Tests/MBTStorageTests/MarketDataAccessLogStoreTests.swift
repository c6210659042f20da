import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

@Suite("Market data access log")
struct MarketDataAccessLogStoreTests {
    static let now = Date(timeIntervalSince1970: 1_774_013_400.25)

    @Test func writesEveryRowInBatchesAndDeletesThemWithTheUser() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let alice = try await users.create(name: "alice", at: Self.now).user
            let bob = try await users.create(name: "bob", at: Self.now).user
            let rows = (0..<2_500).map { index in
                MarketDataAccess(
                    userId: index % 2 == 0 ? alice.id : bob.id, symbol: "SYM\(index % 7)", dataType: index % 3 == 0 ? .bar : .quote,
                    fetchedAt: Self.now, source: "simulated")
            }
            try await MarketDataAccessLogStore(database: database).record(rows)

            let stored = try await database.withConnection { db in
                try await db.select().columns("user_id", "symbol", "data_type", "fetched_at", "source").from("market_data_access_log").all()
            }
            #expect(stored.count == 2_500)
            let first = try #require(stored.first)
            #expect(try first.timestamp("fetched_at") == Self.now)
            #expect(try first.decode(column: "source", as: String.self) == "simulated")

            try await users.delete(named: "alice")
            let remaining = try await database.withConnection { db in
                try await db.select().column("user_id").from("market_data_access_log").all(decodingColumn: "user_id", as: Int64.self)
            }
            #expect(remaining.count == 1_250)
            #expect(remaining.allSatisfy { $0 == bob.id })
        }
    }

    @Test func refusesAnUnknownDataTypeAtTheSchema() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            await #expect(throws: (any Error).self) {
                try await database.withConnection { db in
                    try await db.insert(into: "market_data_access_log").columns("user_id", "symbol", "data_type", "fetched_at")
                        .values(SQLBind(user.id), SQLBind("AAPL"), SQLBind("trade"), SQLBind(StoredTimestamp(Self.now))).run()
                }
            }
        }
    }
}
