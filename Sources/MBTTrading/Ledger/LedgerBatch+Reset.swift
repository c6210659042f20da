import Foundation
import MBTDomain
import MBTStorage

extension LedgerBatch {
    /// An admin's reset of one account, as the batch decided it (audited as `paper_account_reset`).
    struct Reset: Sendable {
        let userId: Int64
        let actor: Int64
        let cashBefore: Decimal6
        let startingBalance: Decimal6
        /// The symbols of the positions archived.
        let archived: [String]
        /// The resting orders canceled: simple orders and multi-leg parents (their legs go with them).
        let canceled: [Int64]
        let at: Date
    }

    /// Resets a locked account to a fresh start (docs/ledger.md, "Account reset"): every resting
    /// order is canceled (a multi-leg one with its legs), every open position is archived by an
    /// order filled at the position's own average cost (rule `account_reset`, so it closes with no
    /// gain or loss while `mbt verify` still finds positions equal to their fills and the tax engine
    /// closes the lots), and one `account_reset` cash movement brings the cash back to the starting
    /// balance. `key` names the reset: the orders' client order ids and the movement's dedupe key
    /// start with it.
    mutating func reset(
        _ userId: Int64, startingBalance: Decimal6, openOrders: [PaperOrder], actor: Int64, at: Date, key: String
    ) throws -> Reset {
        let cashBefore = try account(userId).cash
        let canceled = cancelForReset(openOrders.filter { $0.userId == userId }, actor: actor, at: at)
        let positions = try account(userId).positions.values.map(\.position).sorted { $0.symbol < $1.symbol }
        for position in positions {
            try archive(position, userId: userId, actor: actor, at: at, key: key)
        }
        let amount = startingBalance - (try account(userId).cash)
        try move(
            LedgerStore.CashMovementRow(
                userId: userId, kind: .accountReset, amount: amount, symbol: nil,
                description: "account reset: cash back to the starting balance of \(startingBalance)", dedupeKey: key, at: at))
        let reset = Reset(
            userId: userId, actor: actor, cashBefore: cashBefore, startingBalance: startingBalance, archived: positions.map(\.symbol),
            canceled: canceled, at: at)
        record(reset)
        return reset
    }

    /// Cancels the open orders: a multi-leg parent with its legs, a leg only through its parent.
    private mutating func cancelForReset(_ orders: [PaperOrder], actor: Int64, at: Date) -> [Int64] {
        let legs = Dictionary(grouping: orders.filter { $0.parentOrderId != nil }) { $0.parentOrderId ?? 0 }
        var canceled: [Int64] = []
        for order in orders.sorted(by: { $0.id < $1.id }) where order.parentOrderId == nil && order.status.isOpen {
            let reason = "canceled by the account reset"
            if order.orderClass == .mleg {
                close(combo: order, legs: legs[order.id] ?? [], as: .canceled, reason: reason, actor: actor, at: at)
            } else {
                close(order, as: .canceled, reason: reason, actor: actor, at: at)
            }
            canceled.append(order.id)
        }
        return canceled
    }

    /// Closes the position by an order filled at its average cost.
    private mutating func archive(_ position: Position, userId: Int64, actor: Int64, at: Date, key: String) throws {
        let side: OrderSide = position.side == .long ? .sell : .buy
        let row = OrderStore.NewOrder(
            userId: userId, symbol: position.symbol, assetClass: position.assetClass, side: side, quantity: position.quantity,
            type: .market,
            timeInForce: .day, limitPrice: nil, status: .accepted, submittedAt: at, clientOrderId: "\(key):\(position.symbol)")
        let index = try place(row, replacing: nil, actor: actor)
        try fill(
            .new(index),
            with: Fill(
                symbol: position.symbol, side: side, price: position.averageCost, quantity: position.quantity,
                multiplier: position.multiplier, rule: .accountReset, priceSource: .averageCost, nbboBid: nil, nbboAsk: nil,
                slippageBasis: nil, pricedAt: at))
    }
}
