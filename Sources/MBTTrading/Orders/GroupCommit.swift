import Foundation
import MBTDomain
import MBTStorage
import SQLKit

/// Group commit for new orders and replaces: those that arrive while a transaction is being
/// written wait and go together into the next one, which locks their accounts, judges them in
/// arrival order (``OrderAdmission``, on each account as the earlier ones left it) and hands the
/// batch to the ledger's one writer. Under load a request costs a share of one transaction; alone,
/// it is a group of one.
///
/// Every group's transaction has a deadline, and a group slot is given back whatever became of
/// its transaction. When a group fails because the database is gone, each of its requests is
/// answered ``TradingError/ledgerUnavailable(_:)`` at once (its transaction rolled back); when it
/// fails for another reason (say a client_order_id a concurrent group took), each request is
/// tried again as a group of its own, so one bad request never fails the others.
actor GroupCommit {
    /// A validated order waiting for its group, with what its request already looked up.
    struct Submission: Sendable {
        let order: ValidatedOrder
        let user: User
        /// The open order this one replaces.
        let replacing: Int64?
        let strategyId: Int64?
        /// Why the market does not list the symbol, if it does not.
        let listing: OrderRejection?
        let marks: Marks
        let at: Date
    }

    enum Outcome: Sendable {
        case accepted(PaperOrder)
        case refused(PaperOrder, OrderRejection)
        /// The order an earlier request with the same client_order_id stored.
        case existing(PaperOrder)
    }

    private let database: any DatabaseClient
    private let calendar: NYSECalendar
    private let settings: FillSettings
    private let writer: LedgerWriter
    private let maximumGroup: Int
    private let deadline: Duration
    /// Groups written at once: two on PostgreSQL, so one group's round trips overlap the other's
    /// (their accounts' row locks keep them apart where they meet); one on SQLite's single writer.
    private let groupsInFlight: Int
    private var waiting: [(Submission, CheckedContinuation<Outcome, any Error>)] = []
    private var writing = 0

    init(
        database: any DatabaseClient, calendar: NYSECalendar, settings: FillSettings, writer: LedgerWriter, maximumGroup: Int = 256,
        deadline: Duration = .seconds(10)
    ) {
        self.database = database
        self.calendar = calendar
        self.settings = settings
        self.writer = writer
        self.maximumGroup = maximumGroup
        self.deadline = deadline
        self.groupsInFlight = database.dialect == .postgres ? 2 : 1
    }

    /// Records `submission` with the next group and returns what became of it.
    func commit(_ submission: Submission) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((submission, continuation))
            if writing < groupsInFlight {
                writing += 1
                Task { await self.drain() }
            }
        }
    }

    /// Writes groups until nobody waits, then gives the slot back. Nothing in the loop can hang:
    /// each transaction is raced against the deadline.
    private func drain() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(maximumGroup))
            waiting.removeFirst(group.count)
            await write(group)
        }
        writing -= 1
    }

    private func write(_ group: [(Submission, CheckedContinuation<Outcome, any Error>)]) async {
        let submissions = group.map(\.0)
        do {
            let results = try await transaction(submissions)
            for ((_, continuation), result) in zip(group, results) { continuation.resume(with: result) }
            return
        } catch  where group.count > 1 && !DatabaseFailure.isUnavailable(error) {
            for (submission, continuation) in group {
                do {
                    continuation.resume(with: try await transaction([submission])[0])
                } catch {
                    continuation.resume(throwing: Self.answer(error))
                }
            }
        } catch {
            for (_, continuation) in group { continuation.resume(throwing: Self.answer(error)) }
        }
    }

    /// A dead database is the client's to retry; anything else is a server error, as it was thrown.
    private static func answer(_ error: any Error) -> any Error {
        guard DatabaseFailure.isUnavailable(error) else { return error }
        return TradingError.ledgerUnavailable(
            "the database did not answer in time, so the order was most likely not stored; send it again with the same "
                + "client_order_id (a repeated client_order_id never creates a second order)")
    }

    private func transaction(_ submissions: [Submission]) async throws -> [Result<Outcome, any Error>] {
        try await database.withTransaction(within: deadline) { @Sendable db in try await self.judge(submissions, on: db) }
    }

    // MARK: - One group

    /// What the checks decided for one submission.
    private enum Verdict {
        case placed(Int)
        case refused(Int, OrderRejection)
        case existing(PaperOrder)
        /// The earlier submission of this group with the same client_order_id.
        case sameAs(Int)
        case failed(TradingError)
    }

    private nonisolated func judge(_ group: [Submission], on db: any SQLDatabase) async throws -> [Result<Outcome, any Error>] {
        var batch = try await writer.lock(group.map(\.user.id), on: db)
        let replaced = try await LedgerStore.lockOrders(
            group.compactMap { submission in submission.replacing.map { ($0, submission.user.id) } }, dialect: database.dialect, on: db)
        var stored = try await storedClientOrders(group, on: db)
        var closedHere = Set<Int64>()
        var verdicts: [Verdict] = []
        for (position, submission) in group.enumerated() {
            if let key = Self.clientKey(submission), let earlier = stored[key] {
                verdicts.append(earlier)
                continue
            }
            let verdict = try judge(submission, replaced: replaced, closedHere: &closedHere, batch: &batch)
            if let key = Self.clientKey(submission), case .placed = verdict { stored[key] = .sameAs(position) }
            verdicts.append(verdict)
        }
        let written = try await writer.write(batch, on: db)
        return verdicts.map { verdict in
            switch verdict {
            case .placed(let index): .success(.accepted(written.newOrders[index]))
            case .refused(let index, let rejection): .success(.refused(written.newOrders[index], rejection))
            case .existing(let order): .success(.existing(order))
            case .sameAs(let position):
                if case .placed(let index) = verdicts[position] {
                    .success(.existing(written.newOrders[index]))
                } else {
                    .failure(TradingError.ledgerUnavailable("the order could not be written"))
                }
            case .failed(let error): .failure(error)
            }
        }
    }

    /// One submission on its account as the group has left it so far.
    private nonisolated func judge(
        _ submission: Submission, replaced: [Int64: PaperOrder], closedHere: inout Set<Int64>, batch: inout LedgerBatch
    ) throws -> Verdict {
        let old: PaperOrder?
        if let id = submission.replacing {
            guard let order = replaced[id] else { return .failed(.orderNotFound(id)) }
            guard order.status.isOpen, !closedHere.contains(id) else { return .failed(.orderNotOpen(order)) }
            old = order
        } else {
            old = nil
        }
        var account = try batch.account(submission.user.id)
        if let old { account.release(old) }
        let decision = OrderAdmission.decide(
            submission.order, listing: submission.listing, marks: submission.marks,
            account: try account.buyingPower(marks: submission.marks),
            at: submission.at, session: calendar.session(containing: submission.at), settings: settings)
        let (status, reason): (OrderStatus, String?)
        switch decision {
        case .reject(let rejection):
            // A refused replacement is stored, linked to the order it would have replaced, which stays open.
            let index = try batch.place(row(submission, .rejected, rejection.message), replacing: nil, actor: submission.user.id)
            return .refused(index, rejection)
        case .rest, .fill: (status, reason) = (.accepted, nil)
        case .cancel(let why): (status, reason) = (.canceled, why.description)
        case .expire(let why): (status, reason) = (.expired, why.description)
        }
        if let old { closedHere.insert(old.id) }
        let index = try batch.place(row(submission, status, reason), replacing: old, actor: submission.user.id)
        if case .fill(let fill) = decision { try batch.fill(.new(index), with: fill) }
        return .placed(index)
    }

    private nonisolated func row(_ submission: Submission, _ status: OrderStatus, _ reason: String?) -> OrderStore.NewOrder {
        let order = submission.order
        return OrderStore.NewOrder(
            userId: submission.user.id, symbol: order.symbol, assetClass: order.assetClass, side: order.side, quantity: order.quantity,
            type: order.type, timeInForce: order.timeInForce, limitPrice: order.limitPrice, status: status, submittedAt: submission.at,
            rejectReason: reason, clientOrderId: order.clientOrderId, replacesOrderId: submission.replacing,
            strategyId: submission.strategyId)
    }

    private struct ClientKey: Hashable {
        let userId: Int64
        let clientOrderId: String
    }

    private static func clientKey(_ submission: Submission) -> ClientKey? {
        submission.order.clientOrderId.map { ClientKey(userId: submission.user.id, clientOrderId: $0) }
    }

    /// Orders already stored under the group's client order ids (read under the accounts' locks).
    private nonisolated func storedClientOrders(_ group: [Submission], on db: any SQLDatabase) async throws -> [ClientKey: Verdict] {
        let keys = group.compactMap(Self.clientKey)
        guard !keys.isEmpty else { return [:] }
        let found = try await LedgerStore.orders(clientOrderIds: keys.map { ($0.userId, $0.clientOrderId) }, on: db)
        return Dictionary(
            found.compactMap { order in
                order.clientOrderId.map { (ClientKey(userId: order.userId, clientOrderId: $0), Verdict.existing(order)) }
            },
            uniquingKeysWith: { first, _ in first })
    }
}
