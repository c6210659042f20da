import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// Writes the fill engine's decisions for many orders of many accounts in set-based statements,
/// holding the accounts' locks: the bar loop's decisions about resting orders, and the fills of a
/// group of new orders (``SubmissionBatcher``). A bar crossing thousands of limits then costs a
/// few round trips, not thousands; ``LedgerWriter`` is the one-order path.
///
/// Resting orders reserve nothing when they are accepted, so buying power is checked again at the
/// fill, at the fill price (other positions at their average cost): a limit that would overspend
/// the account is canceled with that reason instead of filled. When an order was closed meanwhile
/// (a user's cancel, another engine's fill), the transaction is rolled back and the batch decided
/// again without it, since the account's later decisions depended on that fill.
public struct LedgerBatchWriter: Sendable {
    let database: any DatabaseClient
    let postFillHook: any PostFillHook
    let settings: BarLoopSettings

    init(database: any DatabaseClient, postFillHook: any PostFillHook, settings: BarLoopSettings) {
        self.database = database
        self.postFillHook = postFillHook
        self.settings = settings
    }

    /// How many orders each outcome closed.
    public struct Outcomes: Sendable, Hashable {
        public var filled = 0
        public var expired = 0
        public var canceled = 0

        public init() {}

        static func += (lhs: inout Outcomes, rhs: Outcomes) {
            lhs.filled += rhs.filled
            lhs.expired += rhs.expired
            lhs.canceled += rhs.canceled
        }
    }

    typealias Decision = (order: PaperOrder, decision: FillDecision)

    /// Applies `decisions` made at `instant`, in the order given within each account; `.rest`
    /// changes nothing.
    func apply(_ decisions: [(PaperOrder, FillDecision)], at instant: Date) async throws -> Outcomes {
        let byAccount = Dictionary(grouping: decisions.filter { $0.1 != .rest }.map { Decision($0.0, $0.1) }, by: \.order.userId)
        let accounts = byAccount.keys.sorted()
        let batches = stride(from: 0, to: accounts.count, by: settings.accountsPerBatch).map {
            accounts[$0..<min($0 + settings.accountsPerBatch, accounts.count)].map { ($0, byAccount[$0]!) }
        }
        var total = Outcomes()
        var pending = batches.makeIterator()
        try await withThrowingTaskGroup(of: Outcomes.self) { group in
            for _ in 0..<settings.concurrentBatches {
                guard let batch = pending.next() else { break }
                group.addTask { try await applyBatch(batch, at: instant) }
            }
            while let outcome = try await group.next() {
                total += outcome
                if let batch = pending.next() { group.addTask { try await applyBatch(batch, at: instant) } }
            }
        }
        return total
    }

    /// Orders closed by someone else after the decisions were made.
    private struct LostRace: Error {
        let orderIds: Set<Int64>
    }

    private func applyBatch(_ batch: [(Int64, [Decision])], at instant: Date) async throws -> Outcomes {
        var gone = Set<Int64>()
        while true {
            let without = gone
            do {
                return try await database.withTransaction { db in
                    try await write(batch.map { ($0.0, $0.1.filter { !without.contains($0.order.id) }) }, at: instant, on: db)
                }
            } catch let lost as LostRace {
                gone.formUnion(lost.orderIds)
            }
        }
    }

    /// The accounts a transaction has locked already, as they were when locked.
    struct LockedAccounts {
        let cash: [Int64: Decimal6]
        let positions: [LedgerBatchStore.PositionRow]
    }

    /// The fills of new orders, checked already by the submit path (so not again here), written in
    /// the caller's transaction with the submit path's own audit rows; returns the orders as
    /// filled, by id.
    func writeSubmitted(
        _ fills: [(PaperOrder, FillDecision)], accounts: LockedAccounts, auditing audit: [AuditEntry], on db: any SQLDatabase
    ) async throws -> [Int64: PaperOrder] {
        guard let latest = fills.map(\.0.submittedAt).max() else {
            try await AuditLog.record(audit, on: db)
            return [:]
        }
        let byAccount = Dictionary(grouping: fills.map { Decision($0.0, $0.1) }, by: \.order.userId)
        _ = try await write(
            byAccount.sorted { $0.key < $1.key }, at: latest, checkingBuyingPower: false, locked: accounts, auditing: audit, on: db)
        return Dictionary(
            uniqueKeysWithValues: fills.compactMap { order, decision in
                decision.fill.map { fill in
                    (order.id, Self.filled(LedgerBatchStore.FillRow(order: order, fill: fill, at: max(fill.pricedAt, order.submittedAt))))
                }
            })
    }

    private func write(
        _ batch: [(Int64, [Decision])], at instant: Date, checkingBuyingPower: Bool = true, locked: LockedAccounts? = nil,
        auditing audit: [AuditEntry] = [], on db: any SQLDatabase
    ) async throws -> Outcomes {
        let userIds = batch.map(\.0)
        let accounts = try await lockedAccounts(userIds, given: locked, on: db)
        let (cash, positions) = (accounts.cash, Dictionary(grouping: accounts.positions, by: \.userId))
        var plan = BatchPlan()
        for (userId, decisions) in batch {
            guard let balance = cash[userId] else { continue }
            var account = BatchPlan.Account(userId: userId, cash: balance, rows: positions[userId] ?? [])
            for (order, decision) in decisions { try plan.add(order, decision, account: &account, checkingBuyingPower: checkingBuyingPower) }
            plan.cashChanges[userId] = account.cash - balance
        }
        let filled = try await LedgerBatchStore.markFilled(plan.fills, on: db)
        let lost = Set(plan.fills.map(\.order.id)).subtracting(filled)
        guard lost.isEmpty else { throw LostRace(orderIds: lost) }
        let closed = try await LedgerBatchStore.close(plan.closes.map { ($0.order.id, $0.status, $0.reason) }, on: db)
        let fillIds = try await LedgerBatchStore.insertFills(plan.fills, on: db)
        try await LedgerBatchStore.apply(try plan.positionChanges(fillIds: fillIds), on: db)
        try await LedgerBatchStore.moveCash(plan.cashChanges.filter { !$0.value.isZero }, at: instant, on: db)
        let closes = plan.closes.filter { closed.contains($0.order.id) }
        try await AuditLog.record(audit + plan.fills.map(Self.audit) + closes.map { Self.audit($0, at: instant) }, on: db)
        // Once per account, for its last fill: the hook takes every fill it has not applied yet.
        // One call for the whole batch, so the hook can catch all the accounts up together.
        let lastFills = Dictionary(plan.fills.map { ($0.order.userId, $0) }, uniquingKeysWith: { _, last in last })
        try await postFillHook.accountsFilled(
            lastFills.sorted(by: { $0.key < $1.key }).map { _, row in (Self.filled(row), row.fill, fillIds[row.order.id]!) }, on: db)
        var outcomes = Outcomes()
        outcomes.filled = plan.fills.count
        outcomes.expired = closes.filter { $0.status == .expired }.count
        outcomes.canceled = closes.count - outcomes.expired
        return outcomes
    }

    /// The accounts as the caller locked them, or locked and read here.
    private func lockedAccounts(_ userIds: [Int64], given: LockedAccounts?, on db: any SQLDatabase) async throws -> LockedAccounts {
        if let given { return given }
        return LockedAccounts(
            cash: try await LedgerBatchStore.lockAccounts(userIds, dialect: database.dialect, on: db),
            positions: try await LedgerBatchStore.openPositions(userIds, on: db))
    }

    // MARK: - Rows

    private static func audit(_ row: LedgerBatchStore.FillRow) -> AuditEntry {
        AuditEntry(
            userId: row.order.userId, action: "order_filled", entityType: "paper_order", entityId: row.order.id,
            before: ["status": row.order.status.rawValue],
            after: ["status": OrderStatus.filled.rawValue, "fill_price": row.fill.price.description, "explanation": row.fill.explanation],
            occurredAt: row.at)
    }

    private static func audit(_ close: BatchPlan.Close, at instant: Date) -> AuditEntry {
        AuditEntry(
            userId: close.order.userId, action: close.status == .expired ? "order_expired" : "order_canceled", entityType: "paper_order",
            entityId: close.order.id, before: ["status": close.order.status.rawValue],
            after: ["status": close.status.rawValue, "reason": close.reason], occurredAt: instant)
    }

    /// The order as the fill left it, for the post-fill hook.
    private static func filled(_ row: LedgerBatchStore.FillRow) -> PaperOrder {
        let order = row.order
        return PaperOrder(
            id: order.id, userId: order.userId, symbol: order.symbol, assetClass: order.assetClass, side: order.side,
            quantity: order.quantity, type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: .filled,
            submittedAt: order.submittedAt, filledAt: row.at, fillPrice: row.fill.price, slippageBasis: row.fill.slippageBasis,
            rejectReason: order.rejectReason, clientOrderId: order.clientOrderId, replacesOrderId: order.replacesOrderId,
            replacedByOrderId: order.replacedByOrderId)
    }
}
