import Foundation
import Logging
import MBTDomain
import MBTStorage
import MBTTrading
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
        var quantity: Decimal6 = 1
        var clientOrderId: String? = nil
    }

    /// The bench's database: `url`, or a new SQLite file (returned as the path to remove).
    static func target(_ url: String?, name: String) throws -> (DatabaseURL, String?) {
        if let url {
            do {
                return (try DatabaseURL(parsing: url), nil)
            } catch {
                throw CommandFailure(error)
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mbt-bench-\(name)-\(UUID().uuidString).sqlite").path
        return (.sqlite(path: path), path)
    }

    static func removeSQLite(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Runs a benchmark on the empty database at `url` (a new SQLite file when `nil`, removed
    /// afterwards), migrated, then checks the ledger it leaves.
    static func withEmptyDatabase(
        _ url: String?, name: String, _ body: (any DatabaseClient, Logger) async throws -> Void
    ) async throws {
        let (target, temporary) = try target(url, name: name)
        defer { if let temporary { removeSQLite(temporary) } }
        let logger = CommandEnvironment.logger()
        try await CommandEnvironment.withDatabase(target, logger: logger) { database in
            try await MigrationRunner(database: database).up()
            guard try await UserStore(database: database).list().isEmpty else {
                throw CommandFailure("the bench needs an empty database; \(target) has users")
            }
            try await body(database, logger)
            let report = try await LedgerVerifier(database: database).verify()
            print("ledger check: \(report.violations.isEmpty ? "clean" : "\(report.violations.count) violations")")
        }
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

    /// `count` accounts with ten million each, 1,000 per statement (no API tokens: the benches
    /// that need thousands of accounts never call the API).
    static func createUsersInBulk(_ count: Int, in database: any DatabaseClient, at now: Date) async throws -> [Int64] {
        var ids: [Int64] = []
        for chunk in Array(0..<count).chunked(into: 1_000) {
            ids += try await database.withTransaction { db in
                let users = db.insert(into: "users").columns("name", "created_at")
                for index in chunk { users.values(SQLBind("bench\(index)"), SQLBind(StoredTimestamp(now))) }
                let created = try await users.returning("id").all().map { try $0.decode(column: "id", as: Int64.self) }
                let accounts = db.insert(into: "paper_accounts").columns("user_id", "starting_balance", "cash_balance")
                for id in created { accounts.values(SQLBind(id), SQLBind(StoredDecimal(10_000_000)), SQLBind(StoredDecimal(10_000_000))) }
                try await accounts.run()
                return created
            }
        }
        return ids.sorted()
    }

    /// A position to open: one order filled at `price`.
    struct Holding {
        var userId: Int64
        var symbol: String
        var assetClass: AssetClass
        var side: OrderSide
        var quantity: Decimal6
        var price: Decimal6
    }

    /// Opens the positions through the ledger's own statements (orders, fills, positions, cash),
    /// 1,000 per transaction, so the ledger reconciles; an account holds each symbol once.
    static func open(_ holdings: [Holding], in database: any DatabaseClient, at now: Date) async throws {
        for chunk in holdings.chunked(into: 1_000) {
            try await database.withTransaction { db in
                let orders = try await OrderStore(database: database).insert(
                    chunk.map { holding in
                        OrderStore.NewOrder(
                            userId: holding.userId, symbol: holding.symbol, assetClass: holding.assetClass, side: holding.side,
                            quantity: holding.quantity, type: .market, timeInForce: .day, limitPrice: nil, status: .accepted,
                            submittedAt: now)
                    }, on: db)
                let fills = zip(chunk, orders).map { holding, order in
                    LedgerStore.FillRow(
                        order: order,
                        fill: Fill(
                            symbol: holding.symbol, side: holding.side, price: holding.price, quantity: holding.quantity,
                            multiplier: holding.assetClass == .option ? OptionSymbol.contractMultiplier : 1, rule: .marketAtQuote,
                            priceSource: .mid, nbboBid: holding.price, nbboAsk: holding.price, slippageBasis: nil, pricedAt: now),
                        at: now)
                }
                _ = try await LedgerStore.markFilled(fills, on: db)
                let fillIds = try await LedgerStore.insertFills(fills, on: db)
                var changes = LedgerStore.PositionChanges()
                var cash: [Int64: Decimal6] = [:]
                for row in fills {
                    let fill = row.fill
                    let position = Position(
                        symbol: fill.symbol, assetClass: row.order.assetClass, side: fill.side == .buy ? .long : .short,
                        quantity: fill.quantity,
                        averageCost: fill.price, openedAt: now)
                    changes.opened.append((row.order.userId, position, fillIds[row.order.id] ?? 0, nil))
                    let notional = try fill.notional()
                    cash[row.order.userId, default: .zero] =
                        (cash[row.order.userId] ?? .zero) + (fill.side == .buy ? .zero - notional : notional)
                }
                try await LedgerStore.apply(changes, on: db)
                try await LedgerStore.moveCash(cash, at: now, on: db)
            }
        }
        if database.dialect == .postgres {
            try await database.withConnection { db in
                for table in ["users", "paper_accounts", "paper_orders", "paper_fills", "paper_positions"] {
                    try await db.raw("ANALYZE \(ident: table)").run()
                }
            }
        }
    }

    /// Brings every account's tax rows up to its fills, as the post-fill hook would have when
    /// they were filled, so a benchmark times only what its own fills add.
    static func taxEveryAccount(_ userIds: [Int64], in database: any DatabaseClient, logger: Logger) async throws {
        let ledger = TaxLedger(database: database, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<4 {
                group.addTask {
                    for (index, userId) in userIds.enumerated() where index % 4 == part { _ = try await ledger.recalc(userId: userId) }
                }
            }
            try await group.waitForAll()
        }
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
        // Written around the ledger, so their accounts' open-order totals are counted once here.
        try await database.withConnection { try await OpenOrderTotals.rebuild(on: $0) }
        // PostgreSQL has no statistics for a million rows taken at once; autovacuum would gather
        // them within a minute in production. SQLite keeps none unless asked, as in production.
        if database.dialect == .postgres {
            try await database.withConnection {
                try await $0.raw("ANALYZE paper_orders").run()
                try await $0.raw("ANALYZE paper_open_order_totals").run()
            }
        }
    }

    private static func insert(_ orders: [Order], into database: any DatabaseClient) async throws {
        try await database.withConnection { db in
            let insert = db.insert(into: "paper_orders").columns(
                "user_id", "symbol", "asset_class", "side", "qty", "order_type", "time_in_force", "limit_price", "status", "submitted_at",
                "client_order_id")
            for order in orders {
                insert.values(
                    SQLBind(order.userId), SQLBind(order.symbol), SQLBind(AssetClass.usEquity.rawValue), SQLBind(order.side.rawValue),
                    SQLBind(StoredDecimal(order.quantity)), SQLBind(OrderType.limit.rawValue), SQLBind(order.timeInForce.rawValue),
                    SQLBind(StoredDecimal(order.limit)), SQLBind(OrderStatus.accepted.rawValue), SQLBind(StoredTimestamp(order.submittedAt)),
                    SQLBind(order.clientOrderId))
            }
            try await insert.run()
        }
    }

    /// A session of one-minute bars from 100, moving by up to 10 cents a minute.
    static func randomWalk(_ symbol: String, from open: Date, minutes: Int, generator: inout SplitMix64) -> [Bar] {
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
