import Foundation
import MBTDomain
import SQLKit

/// The ledger's rows written for many orders at once, in set-based statements: what the bar loop
/// needs when one bar crosses thousands of resting limits. The rows are the ones the one-order path
/// writes (order status, fill, position, cash, audit); only the number of round trips differs.
///
/// Every statement runs in the caller's transaction.
public enum LedgerBatchStore {
    /// Rows per statement, far below both databases' bind limits.
    static let rowsPerStatement = 500

    /// An open position and its row.
    public struct PositionRow: Sendable {
        public var id: Int64
        public var userId: Int64
        public var position: Position
    }

    /// A fill to record: the order, the execution, and the instant it happened.
    public struct FillRow: Sendable {
        public var order: PaperOrder
        public var fill: Fill
        public var at: Date

        public init(order: PaperOrder, fill: Fill, at: Date) {
            self.order = order
            self.fill = fill
            self.at = at
        }
    }

    /// Locks the accounts (in id order, so concurrent batches cannot deadlock) and returns their cash.
    public static func lockAccounts(_ userIds: [Int64], dialect: DatabaseDialect, on db: any SQLDatabase) async throws -> [Int64: Decimal6] {
        var cash: [Int64: Decimal6] = [:]
        for chunk in userIds.sorted().chunked(into: rowsPerStatement) {
            let query = db.select().columns("user_id", "cash_balance").from("paper_accounts")
                .where("user_id", .in, SQLBind.group(chunk)).orderBy("user_id")
            if dialect == .postgres { query.lockingClause(SQLLockingClause.update) }
            for row in try await query.all() {
                cash[try row.decode(column: "user_id", as: Int64.self)] = try row.decimal("cash_balance")
            }
        }
        return cash
    }

    /// The open positions of the accounts.
    public static func openPositions(_ userIds: [Int64], on db: any SQLDatabase) async throws -> [PositionRow] {
        var rows: [PositionRow] = []
        for chunk in userIds.chunked(into: rowsPerStatement) {
            rows += try await db.select().columns("id", "user_id", "symbol", "side", "qty", "avg_cost", "opened_at", "asset_class")
                .from("paper_positions").where("closed_at", .is, SQLLiteral.null).where("user_id", .in, SQLBind.group(chunk))
                .all().map { row in
                    PositionRow(
                        id: try row.decode(column: "id", as: Int64.self), userId: try row.decode(column: "user_id", as: Int64.self),
                        position: Position(
                            symbol: try row.decode(column: "symbol", as: String.self),
                            assetClass: try row.enumValue("asset_class", as: AssetClass.self),
                            side: try row.enumValue("side", as: PositionSide.self), quantity: try row.decimal("qty"),
                            averageCost: try row.decimal("avg_cost"), openedAt: try row.timestamp("opened_at")))
                }
        }
        return rows
    }

    /// Marks the orders filled where they are still open; returns the ids that were.
    public static func markFilled(_ fills: [FillRow], on db: any SQLDatabase) async throws -> Set<Int64> {
        var filled = Set<Int64>()
        for chunk in fills.chunked(into: rowsPerStatement) {
            for (withSlippage, rows) in Dictionary(grouping: chunk, by: { $0.fill.slippageBasis != nil }) {
                let values = rows.map { row -> SQLQueryString in
                    "(\(bind: row.order.id), \(bind: StoredDecimal(row.fill.price)), \(bind: StoredDecimal(row.fill.slippageBasis ?? .zero)), \(bind: StoredTimestamp(row.at)))"
                }
                var query: SQLQueryString = "WITH v(order_id, price, slippage, filled) AS (VALUES "
                query += values.joined(separator: ", ")
                // A bar fill has no quote, so no slippage: NULL, as the one-order path stores it.
                let slippage = withSlippage ? "v.slippage" : "NULL"
                let update: String = """
                    ) UPDATE paper_orders SET status = 'filled', filled_at = v.filled, fill_price = v.price, \
                    slippage_basis = \(slippage) FROM v \
                    WHERE paper_orders.id = v.order_id AND paper_orders.status IN ('new', 'accepted') RETURNING id
                    """
                query += SQLQueryString(update)
                for row in try await db.raw(query).all() { filled.insert(try row.decode(column: "id", as: Int64.self)) }
            }
        }
        return filled
    }

    /// Inserts the fills; returns each order's fill id.
    public static func insertFills(_ fills: [FillRow], on db: any SQLDatabase) async throws -> [Int64: Int64] {
        var ids: [Int64: Int64] = [:]
        for chunk in fills.chunked(into: rowsPerStatement) {
            let insert = db.insert(into: "paper_fills").columns(FillStore.columns)
            for row in chunk { insert.values(FillStore.values(row.fill, orderId: row.order.id, at: row.at)) }
            for row in try await insert.returning("id", "paper_order_id").all() {
                ids[try row.decode(column: "paper_order_id", as: Int64.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        return ids
    }

    /// What the fills did to the positions: rows that carry on with a new quantity and cost, rows
    /// that closed, and rows that opened (possibly already closed again within the batch).
    public struct PositionChanges: Sendable {
        public var updated: [(id: Int64, position: Position, lastFillId: Int64)] = []
        public var closed: [(id: Int64, at: Date, lastFillId: Int64)] = []
        public var opened: [(userId: Int64, position: Position, lastFillId: Int64, closedAt: Date?)] = []

        public init() {}
    }

    public static func apply(_ changes: PositionChanges, on db: any SQLDatabase) async throws {
        for chunk in changes.updated.chunked(into: rowsPerStatement) {
            var query: SQLQueryString = "WITH v(position_id, qty, avg_cost, last_fill_id) AS (VALUES "
            query += chunk.map { "(\(bind: $0.id), \(bind: StoredDecimal($0.position.quantity)), \(bind: StoredDecimal($0.position.averageCost)), \(bind: $0.lastFillId))" as SQLQueryString }
                .joined(separator: ", ")
            query += SQLQueryString(
                """
                ) UPDATE paper_positions SET qty = v.qty, avg_cost = v.avg_cost, last_fill_id = v.last_fill_id FROM v \
                WHERE paper_positions.id = v.position_id
                """)
            try await db.raw(query).run()
        }
        for chunk in changes.closed.chunked(into: rowsPerStatement) {
            var query: SQLQueryString = "WITH v(position_id, closed, last_fill_id) AS (VALUES "
            query += chunk.map { "(\(bind: $0.id), \(bind: StoredTimestamp($0.at)), \(bind: $0.lastFillId))" as SQLQueryString }
                .joined(separator: ", ")
            query += SQLQueryString(
                """
                ) UPDATE paper_positions SET closed_at = v.closed, last_fill_id = v.last_fill_id FROM v \
                WHERE paper_positions.id = v.position_id
                """)
            try await db.raw(query).run()
        }
        for chunk in changes.opened.chunked(into: rowsPerStatement) {
            let insert = db.insert(into: "paper_positions")
                .columns("user_id", "symbol", "side", "qty", "avg_cost", "opened_at", "last_fill_id", "asset_class", "closed_at")
            for row in chunk {
                let position = row.position
                insert.values(
                    SQLBind(row.userId), SQLBind(position.symbol), SQLBind(position.side.rawValue), SQLBind(StoredDecimal(position.quantity)),
                    SQLBind(StoredDecimal(position.averageCost)), SQLBind(StoredTimestamp(position.openedAt)), SQLBind(row.lastFillId),
                    SQLBind(position.assetClass.rawValue), SQLBind(row.closedAt.map(StoredTimestamp.init)))
            }
            try await insert.run()
        }
    }

    /// Adds each amount to its account's cash, in SQL on the stored representation (exact).
    public static func moveCash(_ amounts: [Int64: Decimal6], at now: Date, on db: any SQLDatabase) async throws {
        for chunk in amounts.sorted(by: { $0.key < $1.key }).chunked(into: rowsPerStatement) {
            var query: SQLQueryString = "WITH v(account_user_id, amount) AS (VALUES "
            query += chunk.map { "(\(bind: $0.key), \(bind: StoredDecimal($0.value)))" as SQLQueryString }.joined(separator: ", ")
            query += ") UPDATE paper_accounts SET cash_balance = cash_balance + v.amount, updated_at = \(bind: StoredTimestamp(now)) FROM v "
            query += "WHERE paper_accounts.user_id = v.account_user_id"
            try await db.raw(query).run()
        }
    }

    /// Closes open orders unfilled with their own status and reason; returns the ids that were open.
    public static func close(_ orders: [(id: Int64, status: OrderStatus, reason: String)], on db: any SQLDatabase) async throws -> Set<Int64> {
        var closed = Set<Int64>()
        for chunk in orders.chunked(into: rowsPerStatement) {
            var query: SQLQueryString = "WITH v(order_id, new_status, reason) AS (VALUES "
            query += chunk.map { "(\(bind: $0.id), \(bind: $0.status.rawValue), \(bind: $0.reason))" as SQLQueryString }.joined(separator: ", ")
            query += SQLQueryString(
                """
                ) UPDATE paper_orders SET status = v.new_status, reject_reason = v.reason FROM v \
                WHERE paper_orders.id = v.order_id AND paper_orders.status IN ('new', 'accepted') RETURNING id
                """)
            for row in try await db.raw(query).all() { closed.insert(try row.decode(column: "id", as: Int64.self)) }
        }
        return closed
    }
}
