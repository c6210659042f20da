import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// The ledger's one writer (docs/ledger.md). Every change to an account — a new order, a fill, an
/// order closed unfilled, a cash movement — is decided into a ``LedgerBatch`` and written here, in
/// the caller's transaction and in set-based statements, for one account or thousands: order rows
/// and status, fill rows, positions, cash, `cash_movements`, audit rows, then the post-fill hook.
/// Group commit, the bar loop, cancels and the daily jobs all write through it, which is what lets
/// `mbt verify` prove cash, positions, lots and fills agree.
struct LedgerWriter: Sendable {
    let dialect: DatabaseDialect
    let orders: OrderStore
    let postFillHook: any PostFillHook

    init(database: any DatabaseClient, postFillHook: any PostFillHook) {
        self.dialect = database.dialect
        self.orders = OrderStore(database: database)
        self.postFillHook = postFillHook
    }

    /// Locks the accounts (in id order, so concurrent writers cannot deadlock) and reads what the
    /// rules need: cash, open positions and open orders.
    func lock(_ userIds: some Collection<Int64>, on db: any SQLDatabase) async throws -> LedgerBatch {
        let ids = Array(Set(userIds))
        let locked = try await LedgerStore.lockAccounts(ids, dialect: dialect, on: db)
        let positions = Dictionary(grouping: try await LedgerStore.openPositions(ids, on: db), by: \.userId)
        let openOrders = Dictionary(grouping: try await OpenOrderTotals.read(ids, on: db), by: \.userId)
        let structures = try await LedgerStore.openComboReservations(ids, on: db)
        return LedgerBatch(
            accounts: locked.map { userId, account in
                LedgerAccount(
                    userId: userId, cash: account.cash, positions: positions[userId] ?? [], openOrders: openOrders[userId] ?? [],
                    reservedByStructures: structures[userId] ?? .zero, lotMethod: account.lotMethod)
            })
    }

    /// What a batch wrote.
    struct Written: Sendable {
        /// The batch's new orders as they now stand (filled ones with their fill), in batch order.
        var newOrders: [PaperOrder] = []
        /// Stored orders this batch closed unfilled.
        var closed: Set<Int64> = []
        var filled = 0
        var expired = 0
        var canceled = 0
        /// Cash movements stored (a movement sent again under its dedupe key is not).
        var cashMovements = 0
    }

    /// Stored orders that were no longer open when the batch tried to fill them (a cancel or
    /// another engine won): nothing was written; decide again without them.
    struct LostRace: Error {
        let orderIds: Set<Int64>
    }

    func write(_ batch: LedgerBatch, on db: any SQLDatabase) async throws -> Written {
        var written = Written()
        let inserted = try await insert(Self.finalRows(batch), on: db)
        written.closed = try await LedgerStore.close(batch.closes.map { close(for: $0, inserted: inserted) }, on: db)
        if let missed = batch.closes.first(where: { $0.replacedBy != nil && !written.closed.contains($0.order.id) }) {
            // The replaced row was locked for this transaction, so this cannot happen; if it ever
            // does, failing rolls the whole replace back rather than leaving two open orders.
            throw TradingError.orderNotOpen(missed.order)
        }
        let fills = try await fillRows(batch, inserted: inserted, on: db)
        // Orders this batch creates were inserted filled; only stored ones change status here.
        let storedFills = zip(batch.fills, fills).filter { $0.0.order.isStored }.map(\.1)
        let marked = try await LedgerStore.markFilled(storedFills, on: db)
        let lost = Set(storedFills.map(\.order.id)).subtracting(marked)
        guard lost.isEmpty else { throw LostRace(orderIds: lost) }
        let fillIdsByOrder = try await LedgerStore.insertFills(fills, on: db)
        let fillIds = try fills.map { row in
            guard let id = fillIdsByOrder[row.order.id] else { throw LedgerError.missingRow("the fill id of order \(row.order.id)") }
            return id
        }
        try await LedgerStore.apply(batch.positionChanges(fillIds: fillIds), on: db)
        let movements = try await LedgerStore.insertCashMovements(batch.cashMovements, on: db)
        try await LedgerStore.moveCash(cashChanges(batch, movements: movements), at: latest(batch), on: db)
        let closes = batch.closes.filter { written.closed.contains($0.order.id) }
        try await AuditLog.record(audit(batch, inserted: inserted, closes: closes, fills: fills, movements: movements), on: db)
        let completed = try await complete(batch.completions, inserted: inserted, on: db)
        try await postFillHook.accountsFilled(lastFills(fills, ids: fillIds), on: db)
        TradingMetrics.filled(batch.fills.map(\.fill))

        var filledNew = Dictionary(uniqueKeysWithValues: fills.map { ($0.order.id, Self.filled($0)) })
        for parent in completed { filledNew[parent.id] = parent }
        written.newOrders = inserted.map { filledNew[$0.id] ?? $0 }
        written.filled = fills.count
        written.cashMovements = movements.count
        written.expired = closes.filter { $0.status == .expired }.count
        written.canceled = closes.count - written.expired
        return written
    }

    // MARK: - Rows

    /// The batch's new orders as they end the batch: one filled (or completed, for a multi-leg
    /// parent) in it is inserted filled, which spares a second write of every such row.
    static func finalRows(_ batch: LedgerBatch) -> [LedgerBatch.NewOrder] {
        var rows = batch.newOrders
        for entry in batch.fills {
            guard case .new(let index) = entry.order else { continue }
            rows[index].row.status = LedgerStore.FillRow.status(after: entry.fill)
            (rows[index].row.filledAt, rows[index].row.fillPrice) = (entry.at, entry.fill.price)
            rows[index].row.slippageBasis = entry.fill.slippageBasis
        }
        for completion in batch.completions {
            guard case .new(let index) = completion.parent else { continue }
            rows[index].row.status = .filled
            (rows[index].row.filledAt, rows[index].row.fillPrice) = (completion.at, completion.netPrice)
        }
        return rows
    }

    /// Inserts the batch's new orders, parents before their legs (which refer to them), and
    /// records each parent's legs; returns the orders as stored, in batch order.
    private func insert(_ newOrders: [LedgerBatch.NewOrder], on db: any SQLDatabase) async throws -> [PaperOrder] {
        let roots = newOrders.indices.filter { newOrders[$0].parent == nil }
        let legs = newOrders.indices.filter { newOrders[$0].parent != nil }
        var stored: [Int: PaperOrder] = [:]
        for (index, order) in zip(roots, try await orders.insert(roots.map { newOrders[$0].row }, on: db)) { stored[index] = order }
        let legRows = legs.map { index in
            var row = newOrders[index].row
            row.parentOrderId = newOrders[index].parent.flatMap { stored[$0]?.id }
            return row
        }
        for (index, order) in zip(legs, try await orders.insert(legRows, on: db)) { stored[index] = order }
        for (index, order) in newOrders.enumerated() where !order.legs.isEmpty {
            guard let parent = stored[index] else { continue }
            let recorded = order.legs.compactMap { leg in
                stored[leg.child].map {
                    OrderLeg(orderId: $0.id, symbol: $0.symbol, side: $0.side, ratioQty: leg.ratio, positionIntent: leg.intent)
                }
            }
            try await OrderLegStore.record(recorded, parentId: parent.id, dialect: dialect, on: db)
        }
        return try newOrders.indices.map { index in
            guard let order = stored[index] else { throw LedgerError.missingRow("new order \(index) of the batch") }
            return order
        }
    }

    /// Marks multi-leg parents filled at their net price; returns them as filled. A stored parent
    /// closed meanwhile (a cancel won) loses the race like any order.
    private func complete(_ completions: [LedgerBatch.ComboCompletion], inserted: [PaperOrder], on db: any SQLDatabase) async throws
        -> [PaperOrder]
    {
        var completed: [PaperOrder] = []
        for completion in completions {
            guard case .stored(let parent) = completion.parent else {
                completed.append(order(completion.parent, inserted: inserted))
                continue
            }
            guard
                let filled = try await orders.markFilled(
                    id: parent.id, price: completion.netPrice, slippageBasis: nil, at: completion.at, on: db)
            else { throw LostRace(orderIds: [parent.id]) }
            completed.append(filled)
        }
        try await AuditLog.record(
            completed.map { order in
                AuditEntry(
                    userId: order.userId, action: "order_filled", entityType: "paper_order", entityId: order.id,
                    before: ["status": OrderStatus.accepted.rawValue],
                    after: [
                        "status": OrderStatus.filled.rawValue, "fill_price": (order.fillPrice ?? .zero).description,
                        "explanation": "all legs filled",
                    ],
                    occurredAt: order.filledAt ?? Date())
            }, on: db)
        return completed
    }

    /// The batch's fills as rows, each with the lot method it is taxed with, fixed now so a later
    /// change of the account's or the strategy's default does not re-tax it (docs/tax-rules.md).
    private func fillRows(_ batch: LedgerBatch, inserted: [PaperOrder], on db: any SQLDatabase) async throws -> [LedgerStore.FillRow] {
        let orders = batch.fills.map { order($0.order, inserted: inserted) }
        let strategyMethods = try await StrategyStore.lotMethods(of: Set(orders.compactMap(\.strategyId)), on: db)
        return try zip(batch.fills, orders).map { entry, order in
            let method = TaxLotMethod.forFill(
                strategy: order.strategyId.flatMap { strategyMethods[$0] }, account: try batch.account(order.userId).lotMethod)
            return LedgerStore.FillRow(order: order, fill: entry.fill, at: entry.at, lotMethod: method)
        }
    }

    private func order(_ ref: LedgerBatch.OrderRef, inserted: [PaperOrder]) -> PaperOrder {
        switch ref {
        case .stored(let order): order
        case .new(let index): inserted[index]
        }
    }

    private func close(for close: LedgerBatch.Close, inserted: [PaperOrder]) -> LedgerStore.CloseRow {
        let replacement = close.replacedBy.map { inserted[$0].id }
        let reason = close.reason ?? replacement.map { "replaced by order \($0)" } ?? "closed"
        return LedgerStore.CloseRow(orderId: close.order.id, status: close.status, reason: reason, replacedBy: replacement)
    }

    private func cashChanges(_ batch: LedgerBatch, movements: [LedgerStore.CashMovementRow]) -> [Int64: Decimal6] {
        var changes = batch.tradeCash
        for movement in movements { changes[movement.userId, default: .zero] += movement.amount }
        return changes.filter { !$0.value.isZero }
    }

    private func latest(_ batch: LedgerBatch) -> Date {
        (batch.fills.map(\.at) + batch.cashMovements.map(\.at) + batch.closes.map(\.at)).max() ?? Date(timeIntervalSince1970: 0)
    }

    /// Once per account, for its last fill: the hook takes every fill it has not applied yet. One
    /// call for the whole batch, so the hook can catch all the accounts up together.
    private func lastFills(_ fills: [LedgerStore.FillRow], ids: [Int64]) -> [PostFill] {
        var last: [Int64: PostFill] = [:]
        for (row, id) in zip(fills, ids) { last[row.order.userId] = (Self.filled(row), row.fill, id) }
        return last.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The audit trail of the batch, in the order things happened within each change: submitted,
    /// replaced, then filled.
    private func audit(
        _ batch: LedgerBatch, inserted: [PaperOrder], closes: [LedgerBatch.Close], fills: [LedgerStore.FillRow],
        movements: [LedgerStore.CashMovementRow]
    ) -> [AuditEntry] {
        let submitted = zip(batch.newOrders, inserted).filter { !$0.0.settlement }.map { new, stored in
            var after = [
                "status": new.row.status.rawValue, "symbol": stored.symbol, "side": stored.side.rawValue,
                "qty": stored.quantity.description,
            ]
            if let replaced = new.replacing { after["replaces_order_id"] = "\(replaced.id)" }
            return AuditEntry(
                userId: stored.userId, actorUserId: new.actor ?? stored.userId, action: "order_submitted", entityType: "paper_order",
                entityId: stored.id,
                after: after, occurredAt: stored.submittedAt)
        }
        let closed = closes.map { close in
            let replacement = close.replacedBy.map { inserted[$0].id }
            var after = ["status": close.status.rawValue]
            if let replacement {
                after["replaced_by_order_id"] = "\(replacement)"
            } else if let reason = close.reason {
                after["reason"] = reason
            }
            let action = replacement != nil ? "order_replaced" : close.status == .expired ? "order_expired" : "order_canceled"
            return AuditEntry(
                userId: close.order.userId, actorUserId: close.actor, action: action, entityType: "paper_order", entityId: close.order.id,
                before: ["status": close.order.status.rawValue], after: after, occurredAt: close.at)
        }
        let filled = zip(batch.fills, fills).map { entry, row in
            AuditEntry(
                userId: row.order.userId, action: "order_filled", entityType: "paper_order", entityId: row.order.id,
                before: ["status": batch.statusBefore(entry.order).rawValue],
                after: ["status": row.status.rawValue, "fill_price": row.fill.price.description, "explanation": row.fill.explanation],
                occurredAt: row.at)
        }
        let moved = movements.map { movement in
            AuditEntry(
                userId: movement.userId, action: "cash_\(movement.kind.rawValue)", entityType: "cash_movement",
                after: ["amount": movement.amount.description, "description": movement.description], occurredAt: movement.at)
        }
        let resets = batch.resets.map { reset in
            AuditEntry(
                userId: reset.userId, actorUserId: reset.actor, action: "paper_account_reset", entityType: "paper_account",
                entityId: reset.userId,
                before: [
                    "cash": reset.cashBefore.description, "open_positions": reset.archived.joined(separator: ","),
                    "resting_orders": reset.canceled.map(String.init).joined(separator: ","),
                ],
                after: ["cash": reset.startingBalance.description, "open_positions": "", "resting_orders": ""], occurredAt: reset.at)
        }
        return submitted + closed + filled + moved + resets
    }

    /// The order as its fill left it.
    static func filled(_ row: LedgerStore.FillRow) -> PaperOrder {
        let order = row.order
        return PaperOrder(
            id: order.id, userId: order.userId, symbol: order.symbol, assetClass: order.assetClass, side: order.side,
            quantity: order.quantity, type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: row.status,
            submittedAt: order.submittedAt, filledAt: row.at, fillPrice: row.fill.price, slippageBasis: row.fill.slippageBasis,
            rejectReason: order.rejectReason, clientOrderId: order.clientOrderId, replacesOrderId: order.replacesOrderId,
            replacedByOrderId: order.replacedByOrderId, parentOrderId: order.parentOrderId, strategyId: order.strategyId,
            orderClass: order.orderClass, reservedBuyingPower: order.reservedBuyingPower)
    }
}
