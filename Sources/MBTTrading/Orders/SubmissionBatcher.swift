import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// Group commit for new orders: submissions that arrive while a transaction is being written wait
/// and go together into the next one, which checks them in arrival order under their accounts'
/// locks and writes every order, fill, position, cash move, audit row and tax row of the group in
/// a few set-based statements. Under load a request then costs a share of one transaction instead
/// of a dozen round trips of its own; alone, it is a group of one.
///
/// Each submission is judged exactly as the one-order path judges it (unknown symbol, buying
/// power at the estimated price with positions marked at their quotes, then the fill engine), on
/// the account as the earlier submissions of the group left it. Should the group's transaction
/// fail (a client_order_id another request took meanwhile, say), each of its submissions is
/// retried alone on the one-order path, so one bad request never fails the others.
actor SubmissionBatcher {
    /// A validated order waiting for its group, with what its request already looked up.
    struct Submission: Sendable {
        let order: ValidatedOrder
        let user: User
        let quote: Quote?
        let marks: [String: Quote]
        let at: Date
        /// The one-order path for this submission, should its group fail.
        let alone: @Sendable () async throws -> OrderService.Recorded
    }

    private let database: any DatabaseClient
    private let calendar: NYSECalendar
    private let settings: FillSettings
    private let writer: LedgerBatchWriter
    private let orders: OrderStore
    private let maximumGroup: Int
    /// Groups written at once: two on PostgreSQL, so one group's round trips overlap the other's
    /// (their accounts' row locks keep them apart where they meet); one on SQLite's single writer.
    private let groupsInFlight: Int
    private var waiting: [(Submission, CheckedContinuation<OrderService.Recorded, any Error>)] = []
    private var writing = 0

    init(
        database: any DatabaseClient, calendar: NYSECalendar, settings: FillSettings, postFillHook: any PostFillHook,
        maximumGroup: Int = 256
    ) {
        self.database = database
        self.calendar = calendar
        self.settings = settings
        self.writer = LedgerBatchWriter(database: database, postFillHook: postFillHook, settings: .standard)
        self.orders = OrderStore(database: database)
        self.maximumGroup = maximumGroup
        self.groupsInFlight = database.dialect == .postgres ? 2 : 1
    }

    /// Records `submission` with the next group and returns what became of it.
    func record(_ submission: Submission) async throws -> OrderService.Recorded {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((submission, continuation))
            if writing < groupsInFlight {
                writing += 1
                Task { await self.drain() }
            }
        }
    }

    /// Writes groups until nobody waits. A group's checks run under its accounts' locks, so they
    /// see every earlier group's effects on those accounts.
    private func drain() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(maximumGroup))
            waiting.removeFirst(group.count)
            let submissions = group.map(\.0)
            do {
                let results = try await database.withTransaction { @Sendable db in try await self.write(submissions, on: db) }
                for ((_, continuation), result) in zip(group, results) { continuation.resume(returning: result) }
            } catch {
                await retryAlone(group)
            }
        }
        writing -= 1
    }

    private func retryAlone(_ group: [(Submission, CheckedContinuation<OrderService.Recorded, any Error>)]) async {
        for (submission, continuation) in group {
            do {
                continuation.resume(returning: try await submission.alone())
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    // MARK: - One group

    /// What the checks decided for one submission.
    private enum Verdict {
        case refused(OrderRejection)
        case stored(OrderStatus, reason: String?)
        case fill(Fill)
    }

    private nonisolated func write(_ group: [Submission], on db: any SQLDatabase) async throws -> [OrderService.Recorded] {
        let userIds = Array(Set(group.map(\.user.id)))
        let cash = try await LedgerBatchStore.lockAccounts(userIds, dialect: database.dialect, on: db)
        let rows = try await LedgerBatchStore.openPositions(userIds, on: db)
        var accounts = Dictionary(grouping: rows, by: \.userId)
            .mapValues { rows in Dictionary(uniqueKeysWithValues: rows.map { ($0.position.symbol, $0.position) }) }
        var balances = cash
        var verdicts: [Verdict] = []
        for submission in group {
            guard let balance = balances[submission.user.id] else { throw StorageError.notFound("paper account of user \(submission.user.id)") }
            var held = accounts[submission.user.id] ?? [:]
            var money = balance
            verdicts.append(try judge(submission, cash: &money, positions: &held))
            (balances[submission.user.id], accounts[submission.user.id]) = (money, held)
        }
        let stored = try await orders.insert(zip(group, verdicts).map(Self.row), on: db)
        let fills = zip(stored, verdicts).compactMap { order, verdict -> (PaperOrder, FillDecision)? in
            guard case .fill(let fill) = verdict else { return nil }
            return (order, .fill(fill))
        }
        let filled = try await writer.writeSubmitted(
            fills, accounts: LedgerBatchWriter.LockedAccounts(cash: cash, positions: rows), auditing: zip(group, stored).map(Self.audit),
            on: db)
        return zip(stored, verdicts).map { order, verdict in
            if case .refused(let rejection) = verdict { return .refused(order, rejection) }
            return .accepted(filled[order.id] ?? order)
        }
    }

    /// The one-order path's checks, on the account as the group has left it so far; a fill moves
    /// the account's cash and position for the next submission.
    private nonisolated func judge(_ submission: Submission, cash: inout Decimal6, positions: inout [String: Position]) throws -> Verdict {
        let order = submission.order
        let decision = try OrderService.decide(
            order, quote: submission.quote, marks: submission.marks, cash: cash, positions: Array(positions.values), at: submission.at,
            calendar: calendar, settings: settings)
        switch decision {
        case .reject(let rejection): return .refused(rejection)
        case .rest: return .stored(.accepted, reason: nil)
        case .cancel(let why): return .stored(.canceled, reason: why.description)
        case .expire(let why): return .stored(.expired, reason: why.description)
        case .fill(let fill):
            let outcome = try PositionMath.apply(fill, to: positions[fill.symbol], assetClass: order.assetClass, at: submission.at)
            cash += outcome.cashChange
            positions[fill.symbol] = outcome.position
            return .fill(fill)
        }
    }

    private static func row(_ submission: Submission, _ verdict: Verdict) -> OrderStore.NewOrder {
        let order = submission.order
        let (status, reason): (OrderStatus, String?) =
            switch verdict {
            case .refused(let rejection): (.rejected, rejection.message)
            case .stored(let status, let reason): (status, reason)
            case .fill: (.accepted, nil)
            }
        return OrderStore.NewOrder(
            userId: submission.user.id, symbol: order.symbol, assetClass: order.assetClass, side: order.side, quantity: order.quantity,
            type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: status, submittedAt: submission.at,
            rejectReason: reason, clientOrderId: order.clientOrderId)
    }

    private static func audit(_ submission: Submission, _ stored: PaperOrder) -> AuditEntry {
        let order = submission.order
        return AuditEntry(
            userId: submission.user.id, actorUserId: submission.user.id, action: "order_submitted", entityType: "paper_order",
            entityId: stored.id,
            after: [
                "status": stored.status.rawValue, "symbol": order.symbol, "side": order.side.rawValue, "qty": order.quantity.description,
            ],
            occurredAt: submission.at)
    }
}
