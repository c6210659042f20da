import Foundation
import MBTDomain
import SQLKit

/// A fill as the tax ledger reads it: `paper_fills` joined with its order (symbol, side, asset
/// class, strategy) and the strategy's lot method.
public struct TaxFillRecord: Sendable, Hashable {
    public let fillId: Int64
    public let orderId: Int64
    public let timestamp: Date
    public let symbol: String
    public let side: OrderSide
    public let assetClass: AssetClass
    /// Shares, or contracts.
    public let quantity: Decimal6
    /// Per share (an option's quoted premium).
    public let price: Decimal6
    public let strategyId: Int64?
    /// The lot method the ledger taxed the fill with the first time (`paper_fills.tax_lot_method`).
    public let recordedLotMethod: TaxLotMethod?
    /// The strategy's lot method: its covered-call config's, else the strategy's default.
    public let strategyLotMethod: TaxLotMethod?
    /// The rule that priced the fill (`paper_fills.fill_rule`); expiry, exercise, assignment and
    /// cash settlement are taxed as such rather than as trades.
    public let rule: FillRule?

    public init(
        fillId: Int64, orderId: Int64, timestamp: Date, symbol: String, side: OrderSide, assetClass: AssetClass, quantity: Decimal6,
        price: Decimal6, strategyId: Int64? = nil, recordedLotMethod: TaxLotMethod? = nil, strategyLotMethod: TaxLotMethod? = nil,
        rule: FillRule? = nil
    ) {
        self.rule = rule
        self.fillId = fillId
        self.orderId = orderId
        self.timestamp = timestamp
        self.symbol = symbol
        self.side = side
        self.assetClass = assetClass
        self.quantity = quantity
        self.price = price
        self.strategyId = strategyId
        self.recordedLotMethod = recordedLotMethod
        self.strategyLotMethod = strategyLotMethod
    }

    /// The fill's instant in whole microseconds: with the id, its place in the user's stream.
    public var microseconds: Int64 {
        Int64((timestamp.timeIntervalSince1970 * 1_000_000).rounded())
    }
}

/// Reads a user's fills for the tax ledger and records the lot method each was taxed with.
///
/// Fills are found by their owner through `paper_fills(user_id, id)`: an account's fills after a
/// bound are one range of that index, so no read depends on the planner guessing well from
/// statistics (docs/performance.md). Only a filled order has a fill, or an `expired` one when an
/// option expired worthless (its fill at 0); `mbt verify` checks both and each fill's owner.
public enum TaxFillStore {
    /// The statuses of orders that carry a fill.
    static let withFills = "o.status IN ('filled', 'expired')"

    /// The user's fills with `after < id <= through` (either bound optional), in execution order:
    /// by timestamp, then id.
    public static func fills(userId: Int64, after: Int64? = nil, through: Int64? = nil, on db: any SQLDatabase) async throws
        -> [TaxFillRecord]
    {
        var query = select
        query += " WHERE f.user_id = \(bind: userId) AND \(unsafeRaw: Self.withFills)"
        if let after { query += " AND f.id > \(bind: after)" }
        if let through { query += " AND f.id <= \(bind: through)" }
        query += " ORDER BY f.ts, f.id"
        return try await db.raw(query).all().map(decode)
    }

    /// The fills of each user with an id above the user's bound (0: every fill), each user's in
    /// execution order; a user without such fills has none. One statement per chunk of users,
    /// each user's fills one range of `paper_fills(user_id, id)`.
    public static func fills(after bounds: [Int64: Int64], on db: any SQLDatabase) async throws -> [Int64: [TaxFillRecord]] {
        let sorted = bounds.sorted { $0.key < $1.key }
        let rows = BatchRows(["account_user_id": .int(sorted.map(\.key)), "after_fill_id": .int(sorted.map { max($0.value, 0) })])
        var fills: [Int64: [TaxFillRecord]] = [:]
        for range in rows.chunks(on: db) {
            var query: SQLQueryString = "WITH v(account_user_id, after_fill_id) AS ("
            query += rows.source(range, on: db)
            query += ") \(unsafeRaw: columns) FROM v JOIN paper_fills f ON f.user_id = v.account_user_id AND f.id > v.after_fill_id "
            query += "\(unsafeRaw: joins) WHERE \(unsafeRaw: Self.withFills)"
            try await collect(query, into: &fills, on: db)
        }
        return fills
    }

    /// Runs `query` (a ``select``) in stream order and files the fills by user.
    private static func collect(_ query: SQLQueryString, into fills: inout [Int64: [TaxFillRecord]], on db: any SQLDatabase) async throws {
        var ordered = query
        ordered += " ORDER BY f.user_id, f.ts, f.id"
        for row in try await db.raw(ordered).all() {
            fills[try row.decode(column: "user_id", as: Int64.self), default: []].append(try decode(row))
        }
    }

    /// Records the lot method each fill (by id) was taxed with, so rebuilds use the same one: one
    /// statement for a whole batch of accounts' fills.
    public static func recordLotMethods(_ methods: [Int64: TaxLotMethod], on db: any SQLDatabase) async throws {
        let sorted = methods.sorted { $0.key < $1.key }
        let rows = BatchRows(["fill_id": .int(sorted.map(\.key)), "method": .text(sorted.map(\.value.rawValue))])
        for range in rows.chunks(on: db) {
            var query: SQLQueryString = "WITH v(fill_id, method) AS ("
            query += rows.source(range, on: db)
            query += ") UPDATE paper_fills SET tax_lot_method = v.method FROM v WHERE paper_fills.id = v.fill_id"
            try await db.raw(query).run()
        }
    }

    /// The columns the ledger reads of a fill, its order and the order's strategy.
    private static let columns = """
        SELECT f.user_id, f.id, f.paper_order_id, f.ts, f.fill_qty, f.fill_price, f.tax_lot_method, f.fill_rule,
               o.symbol, o.side, o.asset_class, o.strategy_id,
               COALESCE(c.default_tax_lot_method, s.default_tax_lot_method) AS strategy_lot_method
        """

    /// A fill's order and the order's strategy.
    private static let joins = """
        JOIN paper_orders o ON o.id = f.paper_order_id
        LEFT JOIN strategies s ON s.id = o.strategy_id
        LEFT JOIN lcc_strategy_config c ON c.strategy_id = o.strategy_id
        """

    private static let select: SQLQueryString = "\(unsafeRaw: columns) FROM paper_fills f \(unsafeRaw: joins)"

    private static func decode(_ row: any SQLRow) throws -> TaxFillRecord {
        TaxFillRecord(
            fillId: try row.decode(column: "id", as: Int64.self), orderId: try row.decode(column: "paper_order_id", as: Int64.self),
            timestamp: try row.timestamp("ts"), symbol: try row.decode(column: "symbol", as: String.self),
            side: try row.enumValue("side", as: OrderSide.self), assetClass: try row.enumValue("asset_class", as: AssetClass.self),
            quantity: try row.decimal("fill_qty"), price: try row.decimal("fill_price"),
            strategyId: try row.decode(column: "strategy_id", as: Int64?.self),
            recordedLotMethod: try optionalMethod(row, "tax_lot_method"), strategyLotMethod: try optionalMethod(row, "strategy_lot_method"),
            rule: try row.decode(column: "fill_rule", as: String?.self).flatMap(FillRule.init(rawValue:)))
    }

    private static func optionalMethod(_ row: any SQLRow, _ column: String) throws -> TaxLotMethod? {
        try row.decodeNil(column: column) ? nil : try row.enumValue(column, as: TaxLotMethod.self)
    }
}
