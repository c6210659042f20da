import Foundation
import MBTDomain
import MBTStorage
import MBTTestSupport
import SQLKit
import Testing

/// The schema's CHECKs, foreign keys and cascades bite on both engines.
@Suite("Schema constraints")
struct SchemaConstraintTests {
    static let now = Date(timeIntervalSince1970: 1_774_000_000)

    @Test func rejectsAPositionSideOtherThanLongOrShort() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            await #expect(throws: (any Error).self) {
                try await insertPosition(database, userId: user.id, side: "hold")
            }
            try await insertPosition(database, userId: user.id, side: "long")
        }
    }

    @Test func rejectsAZeroQuantityOrder() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            await #expect(throws: (any Error).self) {
                try await insertOrder(database, userId: user.id, qty: .zero)
            }
            await #expect(throws: (any Error).self) {
                try await insertOrder(database, userId: user.id, qty: Decimal6(micros: -1))
            }
            _ = try await insertOrder(database, userId: user.id, qty: Decimal6(micros: 1))
        }
    }

    @Test func rejectsAnUnknownOrderStatus() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            await #expect(throws: (any Error).self) {
                try await insertOrder(database, userId: user.id, status: "open")
            }
            for status in OrderStatus.allCases {
                _ = try await insertOrder(database, userId: user.id, status: status.rawValue)
            }
        }
    }

    @Test func deletingAUserRemovesTheirOrdersFillsAndPositions() async throws {
        try await TestDatabase.withFresh { database in
            let users = UserStore(database: database)
            let alice = try await users.create(name: "alice", at: Self.now).user
            let bob = try await users.create(name: "bob", at: Self.now).user
            for user in [alice, bob] {
                let order = try await insertOrder(database, userId: user.id)
                let fill = try await insertFill(database, orderId: order)
                try await insertPosition(database, userId: user.id, lastFillId: fill)
            }
            try await users.delete(named: "alice")

            for table in ["paper_orders", "paper_positions", "paper_accounts", "api_tokens", "audit_log"] {
                #expect(try await count(database, table, userId: alice.id) == 0, "\(table) still has alice's rows")
                #expect(try await count(database, table, userId: bob.id) > 0, "\(table) lost bob's rows")
            }
            #expect(try await count(database, "paper_fills") == 1)
        }
    }

    @Test func deletingAStrategyKeepsItsOrdersWithoutIt() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            let strategy = try await database.withConnection { db in
                try await db.insert(into: "strategies").columns("user_id", "name", "kind")
                    .values(SQLBind(user.id), SQLBind("condors"), SQLBind("iron_condor"))
                    .returning("id").first(decodingColumn: "id", as: Int64.self)
            }
            let order = try await insertOrder(database, userId: user.id, strategyId: strategy)
            try await database.withConnection { db in
                try await db.delete(from: "strategies").where("id", .equal, SQLBind(strategy)).run()
            }
            let row = try await database.withConnection { db in
                try await db.select().column("strategy_id").from("paper_orders").where("id", .equal, SQLBind(order)).first()
            }
            #expect(try row?.decodeNil(column: "strategy_id") == true)
        }
    }

    @Test func deletingAFillClearsThePositionsLastFill() async throws {
        try await TestDatabase.withFresh { database in
            let user = try await UserStore(database: database).create(name: "alice", at: Self.now).user
            let order = try await insertOrder(database, userId: user.id)
            let fill = try await insertFill(database, orderId: order)
            try await insertPosition(database, userId: user.id, lastFillId: fill)
            await #expect(throws: (any Error).self) {
                try await insertPosition(database, userId: user.id, lastFillId: fill + 1000)
            }
            try await database.withConnection { db in
                try await db.delete(from: "paper_fills").where("id", .equal, SQLBind(fill)).run()
            }
            let row = try await database.withConnection { db in
                try await db.select().column("last_fill_id").from("paper_positions").first()
            }
            #expect(try row?.decodeNil(column: "last_fill_id") == true)
        }
    }

    @Test func registersThePaperTradingFlagAsHighRisk() async throws {
        try await TestDatabase.withFresh { database in
            let row = try await database.withConnection { db in
                try await db.select().column("risk").from("feature_flags").where("name", .equal, SQLBind("FLAG_PAPER_TRADING_V1")).first()
            }
            #expect(try row?.decode(column: "risk", as: String.self) == "high")
        }
    }

    // MARK: - Fixtures

    private func insertOrder(
        _ database: any DatabaseClient,
        userId: Int64,
        qty: Decimal6 = 10,
        status: String = "accepted",
        strategyId: Int64? = nil
    ) async throws -> Int64 {
        try await database.withConnection { db in
            let id = try await db.insert(into: "paper_orders")
                .columns("user_id", "symbol", "side", "qty", "order_type", "limit_price", "status", "submitted_at", "strategy_id")
                .values(
                    SQLBind(userId), SQLBind("AAPL"), SQLBind("buy"), SQLBind(StoredDecimal(qty)), SQLBind("limit"),
                    SQLBind(StoredDecimal(Decimal6(150))), SQLBind(status), SQLBind(StoredTimestamp(Self.now)), SQLBind(strategyId)
                )
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            return try #require(id)
        }
    }

    private func insertFill(_ database: any DatabaseClient, orderId: Int64) async throws -> Int64 {
        try await database.withConnection { db in
            let id = try await db.insert(into: "paper_fills")
                .columns("paper_order_id", "user_id", "fill_qty", "fill_price", "ts")
                .values(
                    SQLBind(orderId), SQLRaw("(SELECT user_id FROM paper_orders WHERE id = \(orderId))"), SQLBind(StoredDecimal(10)), SQLBind(StoredDecimal(150)), SQLBind(StoredTimestamp(Self.now)))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            return try #require(id)
        }
    }

    private func insertPosition(_ database: any DatabaseClient, userId: Int64, side: String = "long", lastFillId: Int64? = nil) async throws
    {
        try await database.withConnection { db in
            try await db.insert(into: "paper_positions")
                .columns("user_id", "symbol", "side", "qty", "avg_cost", "opened_at", "last_fill_id")
                .values(
                    SQLBind(userId), SQLBind("AAPL"), SQLBind(side), SQLBind(StoredDecimal(10)), SQLBind(StoredDecimal(150)),
                    SQLBind(StoredTimestamp(Self.now)), SQLBind(lastFillId)
                )
                .run()
        }
    }

    private func count(_ database: any DatabaseClient, _ table: String, userId: Int64? = nil) async throws -> Int {
        try await database.withConnection { db in
            var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            if let userId { query = query.where("user_id", .equal, SQLBind(userId)) }
            return try await query.first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }
}
