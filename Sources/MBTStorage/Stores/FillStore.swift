import Foundation
import MBTDomain
import SQLKit

/// `paper_fills`: one row per execution, with the NBBO snapshot and how the price was reached.
public enum FillStore {
    static let columns = [
        "paper_order_id", "user_id", "fill_qty", "fill_price", "ts", "slippage_basis", "nbbo_bid", "nbbo_ask", "fill_rule", "price_source", "priced_at",
    ]

    /// The row of `fill`, in ``columns`` order.
    static func values(_ fill: Fill, orderId: Int64, userId: Int64, at instant: Date) -> [any SQLExpression] {
        [
            SQLBind(orderId), SQLBind(userId), SQLBind(StoredDecimal(fill.quantity)), SQLBind(StoredDecimal(fill.price)), SQLBind(StoredTimestamp(instant)),
            SQLBind(StoredDecimal(fill.slippageBasis ?? .zero)), SQLBind(fill.nbboBid.map(StoredDecimal.init)),
            SQLBind(fill.nbboAsk.map(StoredDecimal.init)), SQLBind(fill.rule.rawValue), SQLBind(fill.priceSource.rawValue),
            SQLBind(StoredTimestamp(fill.pricedAt)),
        ]
    }

    /// The rows of many fills, in ``columns`` order.
    static func rows(_ fills: [LedgerStore.FillRow]) -> BatchRows {
        BatchRows([
            "paper_order_id": .int(fills.map(\.order.id)), "user_id": .int(fills.map(\.order.userId)), "fill_qty": .decimal(fills.map(\.fill.quantity)),
            "fill_price": .decimal(fills.map(\.fill.price)), "ts": .instant(fills.map(\.at)),
            "slippage_basis": .decimal(fills.map { $0.fill.slippageBasis ?? .zero }), "nbbo_bid": .optionalDecimal(fills.map(\.fill.nbboBid)),
            "nbbo_ask": .optionalDecimal(fills.map(\.fill.nbboAsk)), "fill_rule": .text(fills.map(\.fill.rule.rawValue)),
            "price_source": .text(fills.map(\.fill.priceSource.rawValue)), "priced_at": .instant(fills.map(\.fill.pricedAt)),
            "tax_lot_method": .optionalText(fills.map { $0.lotMethod?.rawValue }),
        ])
    }

    /// Records `fill` of order `orderId` (of `userId`) at `instant`; returns the fill's id.
    public static func insert(_ fill: Fill, orderId: Int64, userId: Int64, at instant: Date, on db: any SQLDatabase) async throws -> Int64 {
        let id = try await db.insert(into: "paper_fills")
            .columns(columns)
            .values(values(fill, orderId: orderId, userId: userId, at: instant))
            .returning("id")
            .first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw StorageError.corruptValue("insert into paper_fills returned no id") }
        return id
    }
}
