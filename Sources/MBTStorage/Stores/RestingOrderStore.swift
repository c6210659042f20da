import Foundation
import MBTDomain
import SQLKit

/// The bar loop's view of `paper_orders`: which symbols have resting orders, which resting orders a
/// set of bars may have crossed, and which have outlived their time in force.
///
/// Every query is answered from the partial indexes of migration 13, so the cost of a bar grows with
/// the orders it crosses, not with all the orders resting in its symbol.
public struct RestingOrderStore: Sendable {
    public let database: any DatabaseClient

    /// Bars (or quotes) per statement; keeps bind counts far below both databases' limits.
    static let rangesPerStatement = 1_000

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// The prices a bar traded at in one symbol, from `start` on: a buy limit at or above `low` and a
    /// sell limit at or below `high` may have been reached, and any resting market order may fill.
    public struct PriceRange: Sendable, Hashable {
        public var symbol: String
        public var low: Decimal6
        public var high: Decimal6
        public var start: Date

        public init(symbol: String, low: Decimal6, high: Decimal6, start: Date) {
            self.symbol = symbol
            self.low = low
            self.high = high
            self.start = start
        }
    }

    /// Every symbol with at least one resting order.
    ///
    /// A loose index scan (one index probe per symbol, walking `po_resting_by_symbol` from symbol to
    /// next symbol) rather than a `DISTINCT` over every resting order, so the cost follows the
    /// number of symbols, not of orders.
    public func symbols() async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw(
                """
                WITH RECURSIVE s(symbol) AS (
                    SELECT MIN(symbol) FROM paper_orders WHERE \(unsafeRaw: OpenOrderPredicate.simpleSQL())
                    UNION ALL
                    SELECT (SELECT MIN(o.symbol) FROM paper_orders o WHERE \(unsafeRaw: OpenOrderPredicate.simpleSQL("o.")) AND o.symbol > s.symbol)
                    FROM s WHERE s.symbol IS NOT NULL
                )
                SELECT symbol FROM s WHERE symbol IS NOT NULL
                """
            ).all().map { try $0.decode(column: "symbol", as: String.self) }
        }
    }

    /// The best resting prices of one symbol: no bar that stays below the highest buy limit's reach,
    /// above the lowest sell limit's, with no market order waiting, can fill anything in it.
    public struct BookTop: Sendable, Hashable {
        public var highestBuyLimit: Decimal6?
        public var lowestSellLimit: Decimal6?
        public var hasMarketOrders: Bool

        /// Whether prices from `low` to `high` may reach a resting order (a superset of what fills).
        public func mayBeCrossed(low: Decimal6, high: Decimal6) -> Bool {
            hasMarketOrders || (highestBuyLimit.map { $0 >= low } ?? false) || (lowestSellLimit.map { $0 <= high } ?? false)
        }
    }

    /// The book tops of `symbols`, three index probes per symbol; symbols with no resting order
    /// have no top.
    public func tops(_ symbols: [String]) async throws -> [String: BookTop] {
        var tops: [String: BookTop] = [:]
        for chunk in symbols.chunked(into: Self.rangesPerStatement) {
            var query: SQLQueryString = "WITH s(symbol) AS (VALUES "
            query += chunk.map { "(\(bind: $0))" as SQLQueryString }.joined(separator: ", ")
            query += SQLQueryString(Self.topsSelect)
            let rows = try await database.withConnection { db in try await db.raw(query).all() }
            for row in rows {
                let top = BookTop(
                    highestBuyLimit: try row.optionalDecimal("highest_buy"), lowestSellLimit: try row.optionalDecimal("lowest_sell"),
                    hasMarketOrders: try row.decode(column: "has_market", as: Int.self) != 0)
                if top.hasMarketOrders || top.highestBuyLimit != nil || top.lowestSellLimit != nil {
                    tops[try row.decode(column: "symbol", as: String.self)] = top
                }
            }
        }
        return tops
    }

    private static let topsSelect = """
        )
        SELECT s.symbol,
            (SELECT MAX(o.limit_price) FROM paper_orders o WHERE o.symbol = s.symbol
                AND \(OpenOrderPredicate.simpleSQL("o.")) AND o.side = 'buy' AND o.order_type = 'limit') AS highest_buy,
            (SELECT MIN(o.limit_price) FROM paper_orders o WHERE o.symbol = s.symbol
                AND \(OpenOrderPredicate.simpleSQL("o.")) AND o.side = 'sell' AND o.order_type = 'limit') AS lowest_sell,
            CASE WHEN EXISTS (SELECT 1 FROM paper_orders o WHERE o.symbol = s.symbol
                AND \(OpenOrderPredicate.simpleSQL("o.")) AND o.order_type = 'market') THEN 1 ELSE 0 END AS has_market
        FROM s
        """

    /// The earliest submission among the resting orders of each of `symbols`: where a symbol new to
    /// the bar loop starts being walked.
    public func firstSubmissions(_ symbols: [String]) async throws -> [String: Date] {
        var first: [String: Date] = [:]
        for chunk in symbols.chunked(into: Self.rangesPerStatement) {
            try await database.withConnection { db in
                for row in try await db.select().column("symbol").column(
                    SQLFunction("MIN", args: SQLColumn("submitted_at")), as: "first_submitted"
                )
                .from("paper_orders")
                .where("status", .in, OpenOrderPredicate.binds).where("order_class", .equal, SQLBind(OrderClass.simple.rawValue))
                .where("symbol", .in, SQLBind.group(chunk)).groupBy("symbol").all() {
                    first[try row.decode(column: "symbol", as: String.self)] = try row.timestamp("first_submitted")
                }
            }
        }
        return first
    }

    /// The resting orders each range's prices may fill: buy limits at or above its low, sell limits
    /// at or below its high, and market orders submitted by its start. Whether a limit submitted
    /// during the bar counts, strict limit fills and the exact price are the fill engine's
    /// decision; this only narrows the candidates, in submission order. (Asking for the submission
    /// time of limits too would tempt the planner into scanning every resting order of the symbol.)
    public func candidates(for ranges: [PriceRange]) async throws -> [PaperOrder] {
        // Chunks go to the pool side by side; on SQLite they simply queue for its one connection.
        let found = try await withThrowingTaskGroup(of: [PaperOrder].self) { group in
            for chunk in ranges.chunked(into: Self.rangesPerStatement) {
                group.addTask {
                    try await database.withConnection { db in try await db.raw(Self.candidateQuery(chunk)).all().map(OrderStore.decode) }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return found.sorted { ($0.submittedAt, $0.id) < ($1.submittedAt, $1.id) }
    }

    /// Resting DAY orders submitted before `dayBefore` and GTC orders submitted before `gtcBefore`
    /// in `symbols`: the orders whose time in force may have ended. One index range per time in
    /// force, filtered by symbol here: the ranges hold only orders that are due anyway.
    public func expiring(dayBefore: Date, gtcBefore: Date, symbols: [String]) async throws -> [PaperOrder] {
        let wanted = Set(symbols)
        var found: [PaperOrder] = []
        for (timeInForce, before) in [(TimeInForce.day, dayBefore), (.gtc, gtcBefore)] {
            found += try await database.withConnection { db in
                try await db.select().columns(OrderStore.columns.map { SQLColumn($0) }).from("paper_orders")
                    .where("status", .in, OpenOrderPredicate.binds).where("order_class", .equal, SQLBind(OrderClass.simple.rawValue))
                    .where("time_in_force", .equal, SQLBind(timeInForce.rawValue))
                    .where("submitted_at", .lessThan, SQLBind(StoredTimestamp(before)))
                    .all().map(OrderStore.decode)
            }
        }
        return found.filter { wanted.contains($0.symbol) }.sorted { $0.id < $1.id }
    }

    private static func candidateQuery(_ ranges: [PriceRange]) -> SQLQueryString {
        let rows = ranges.map { range -> SQLQueryString in
            "(\(bind: range.symbol), \(bind: StoredDecimal(range.low)), \(bind: StoredDecimal(range.high)), \(bind: StoredTimestamp(range.start)))"
        }
        let columns = OrderStore.columns.map { "o.\($0)" }.joined(separator: ", ")
        let open = OpenOrderPredicate.simpleSQL("o.")
        var query: SQLQueryString = "WITH b(symbol, low, high, start) AS (VALUES "
        query += rows.joined(separator: ", ")
        let selects: String = """
            )
            SELECT \(columns) FROM paper_orders o JOIN b ON o.symbol = b.symbol
            WHERE \(open) AND o.side = 'buy' AND o.order_type = 'limit' AND o.limit_price >= b.low
            UNION ALL
            SELECT \(columns) FROM paper_orders o JOIN b ON o.symbol = b.symbol
            WHERE \(open) AND o.side = 'sell' AND o.order_type = 'limit' AND o.limit_price <= b.high
            UNION ALL
            SELECT \(columns) FROM paper_orders o JOIN b ON o.symbol = b.symbol
            WHERE \(open) AND o.order_type = 'market' AND o.submitted_at <= b.start
            """
        query += SQLQueryString(selects)
        return query
    }
}
