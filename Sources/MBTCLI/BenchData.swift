import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// Generated accounts, resting orders and bars for the benchmarks, written in bulk.
enum BenchData {
    struct Order {
        var userId: Int64
        var symbol: String
        var side: OrderSide = .buy
        var limit: Decimal6
        var timeInForce: TimeInForce
        var submittedAt: Date
    }

    /// Accounts with ten million each, so no benchmark fill is refused for buying power.
    static func createUsers(_ count: Int, in database: any DatabaseClient, at now: Date) async throws -> [Int64] {
        let users = UserStore(database: database)
        var ids: [Int64] = []
        for index in 0..<count {
            ids.append(try await users.create(name: "bench\(index)", startingBalance: 10_000_000, at: now).user.id)
        }
        return ids
    }

    /// Inserts `count` resting limit orders, 1,000 rows per statement, four statements at a time.
    static func insertOrders(count: Int, in database: any DatabaseClient, _ order: @escaping @Sendable (Int) -> Order) async throws {
        let batch = 1_000
        let batches = (count + batch - 1) / batch
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let first = next * batch
                next += 1
                group.addTask { try await insert((first..<min(first + batch, count)).map(order), into: database) }
            }
            for _ in 0..<min(4, batches) { add() }
            while try await group.next() != nil {
                if next < batches { add() }
            }
        }
        // PostgreSQL has no statistics for a million rows taken at once; autovacuum would gather
        // them within a minute in production. SQLite keeps none unless asked, as in production.
        if database.dialect == .postgres {
            try await database.withConnection { try await $0.raw("ANALYZE paper_orders").run() }
        }
    }

    private static func insert(_ orders: [Order], into database: any DatabaseClient) async throws {
        try await database.withConnection { db in
            let insert = db.insert(into: "paper_orders").columns(
                "user_id", "symbol", "asset_class", "side", "qty", "order_type", "time_in_force", "limit_price", "status", "submitted_at")
            for order in orders {
                insert.values(
                    SQLBind(order.userId), SQLBind(order.symbol), SQLBind(AssetClass.usEquity.rawValue), SQLBind(order.side.rawValue),
                    SQLBind(StoredDecimal(1)), SQLBind(OrderType.limit.rawValue), SQLBind(order.timeInForce.rawValue),
                    SQLBind(StoredDecimal(order.limit)), SQLBind(OrderStatus.accepted.rawValue), SQLBind(StoredTimestamp(order.submittedAt)))
            }
            try await insert.run()
        }
    }

    /// A session of one-minute bars from 100, moving by up to 10 cents a minute.
    static func randomWalk(_ symbol: String, from open: Date, minutes: Int, generator: inout SeededRandom) -> [Bar] {
        var price: Decimal6 = 100
        return (0..<minutes).map { minute in
            let first = price
            let move = Decimal6(micros: Int64.random(in: -100_000...100_000, using: &generator))
            price = max(1, price + move)
            let swing = Decimal6(micros: Int64.random(in: 0...50_000, using: &generator))
            return Bar(
                symbol: symbol, start: open.addingTimeInterval(Double(minute) * 60), open: first, high: max(first, price) + swing,
                low: min(first, price) - swing, close: price, volume: 100)
        }
    }
}
