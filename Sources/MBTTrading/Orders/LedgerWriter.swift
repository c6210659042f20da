import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// Writes one fill to the ledger inside the caller's transaction: the order's status, the fill
/// row, the position, the cash, the audit row and the post-fill hook. The submit path and the bar
/// loop both fill through here, so a fill is recorded the same way whoever made it.
struct LedgerWriter: Sendable {
    let orders: OrderStore
    let positions: PositionStore
    let accounts: AccountStore
    let postFillHook: any PostFillHook

    /// `held` is the open position of the fill's symbol as read in this transaction (under the
    /// account's lock). `earlier` are audit rows of the same change still to write; they go in
    /// the fill's audit statement, before its own row.
    func recordFill(
        _ fill: Fill, of order: PaperOrder, held: Position?, at now: Date, auditing earlier: [AuditEntry] = [], on db: any SQLDatabase
    ) async throws -> PaperOrder {
        guard let filled = try await orders.markFilled(id: order.id, price: fill.price, slippageBasis: fill.slippageBasis, at: now, on: db)
        else {
            throw TradingError.orderNotOpen(order)
        }
        let fillId = try await FillStore.insert(fill, orderId: order.id, at: now, on: db)
        let outcome = try PositionMath.apply(fill, to: held, assetClass: order.assetClass, at: now)
        try await positions.save(
            outcome.position, replacing: held, symbol: fill.symbol, userId: order.userId, lastFillId: fillId, at: now, on: db)
        try await accounts.moveCash(userId: order.userId, by: outcome.cashChange, at: now, on: db)
        try await AuditLog.record(
            earlier + [
                AuditEntry(
                    userId: order.userId, action: "order_filled", entityType: "paper_order", entityId: order.id,
                    before: ["status": order.status.rawValue],
                    after: ["status": filled.status.rawValue, "fill_price": fill.price.description, "explanation": fill.explanation],
                    occurredAt: now)
            ],
            on: db)
        try await postFillHook.orderFilled(filled, fill: fill, fillId: fillId, on: db)
        return filled
    }
}
