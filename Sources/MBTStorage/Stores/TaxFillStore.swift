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

    public init(
        fillId: Int64, orderId: Int64, timestamp: Date, symbol: String, side: OrderSide, assetClass: AssetClass, quantity: Decimal6,
        price: Decimal6, strategyId: Int64? = nil, recordedLotMethod: TaxLotMethod? = nil, strategyLotMethod: TaxLotMethod? = nil
    ) {
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
public enum TaxFillStore {
    /// The user's fills with `after < id <= through` (either bound optional), in execution order:
    /// by timestamp, then id.
    public static func fills(userId: Int64, after: Int64? = nil, through: Int64? = nil, on db: any SQLDatabase) async throws
        -> [TaxFillRecord]
    {
        try await db.raw(
            """
            SELECT f.id, f.paper_order_id, f.ts, f.fill_qty, f.fill_price, f.tax_lot_method,
                   o.symbol, o.side, o.asset_class, o.strategy_id,
                   COALESCE(c.default_tax_lot_method, s.default_tax_lot_method) AS strategy_lot_method
            FROM paper_fills f
            JOIN paper_orders o ON o.id = f.paper_order_id
            LEFT JOIN strategies s ON s.id = o.strategy_id
            LEFT JOIN lcc_strategy_config c ON c.strategy_id = o.strategy_id
            WHERE o.user_id = \(bind: userId) AND f.id > \(bind: after ?? 0) AND f.id <= \(bind: through ?? Int64.max)
            ORDER BY f.ts, f.id
            """
        ).all().map(decode)
    }

    /// Records the lot method each fill (by id) was taxed with, so rebuilds use the same one.
    public static func recordLotMethods(_ methods: [Int64: TaxLotMethod], on db: any SQLDatabase) async throws {
        for (method, fills) in Dictionary(grouping: methods.keys, by: { methods[$0]! }) {
            let ids = fills.sorted()
            for start in stride(from: 0, to: ids.count, by: 1000) {
                try await db.update("paper_fills").set("tax_lot_method", to: SQLBind(method.rawValue))
                    .where("id", .in, Array(ids[start..<min(start + 1000, ids.count)])).run()
            }
        }
    }

    private static func decode(_ row: any SQLRow) throws -> TaxFillRecord {
        TaxFillRecord(
            fillId: try row.decode(column: "id", as: Int64.self), orderId: try row.decode(column: "paper_order_id", as: Int64.self),
            timestamp: try row.timestamp("ts"), symbol: try row.decode(column: "symbol", as: String.self),
            side: try row.enumValue("side", as: OrderSide.self), assetClass: try row.enumValue("asset_class", as: AssetClass.self),
            quantity: try row.decimal("fill_qty"), price: try row.decimal("fill_price"),
            strategyId: try row.decode(column: "strategy_id", as: Int64?.self),
            recordedLotMethod: try optionalMethod(row, "tax_lot_method"), strategyLotMethod: try optionalMethod(row, "strategy_lot_method"))
    }

    private static func optionalMethod(_ row: any SQLRow, _ column: String) throws -> TaxLotMethod? {
        try row.decodeNil(column: column) ? nil : try row.enumValue(column, as: TaxLotMethod.self)
    }
}
