import Foundation
import MBTDomain
import MBTStorage

/// Writes the fill engine's decisions about resting orders through the ledger's one writer, many
/// accounts per transaction, so a bar crossing thousands of limits costs a few round trips.
///
/// Prices move while an order rests, so buying power is judged again at the fill, by the same rule
/// as at submission with the order's own reservation released: a fill that would overspend the
/// account cancels the order with that reason instead. When an order was closed meanwhile (a
/// user's cancel, another engine's fill), the transaction is rolled back and the batch decided
/// again without it, since the account's later decisions depended on that fill.
public struct RestingOrderSettlement: Sendable {
    let database: any DatabaseClient
    let writer: LedgerWriter
    let settings: BarLoopSettings
    let barCloses: BarCloseBook
    /// A catch-up batch writes thousands of rows; a minute is far beyond any healthy one.
    let deadline: Duration = .seconds(60)

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
    /// changes nothing. `quotes` are the quotes the decisions were made on, if any.
    func apply(_ decisions: [(PaperOrder, FillDecision)], at instant: Date, quotes: [String: Quote] = [:]) async throws -> Outcomes {
        let byAccount = Dictionary(grouping: decisions.filter { $0.1 != .rest }.map { Decision($0.0, $0.1) }, by: \.order.userId)
        let batches = byAccount.sorted { $0.key < $1.key }.chunked(into: settings.accountsPerBatch)
        var total = Outcomes()
        var pending = batches.makeIterator()
        try await withThrowingTaskGroup(of: Outcomes.self) { group in
            for _ in 0..<settings.concurrentBatches {
                guard let batch = pending.next() else { break }
                group.addTask { try await settle(batch, at: instant, quotes: quotes) }
            }
            while let outcome = try await group.next() {
                total += outcome
                if let batch = pending.next() { group.addTask { try await settle(batch, at: instant, quotes: quotes) } }
            }
        }
        return total
    }

    private func settle(_ accounts: [(key: Int64, value: [Decision])], at instant: Date, quotes: [String: Quote]) async throws -> Outcomes {
        var gone = Set<Int64>()
        while true {
            let without = gone
            do {
                return try await database.withTransaction(within: deadline) { db in
                    var batch = try await writer.lock(accounts.map(\.key), on: db)
                    let marks = Marks(quotes: quotes, barCloses: barCloses.closes(batch.heldSymbols))
                    for (_, decisions) in accounts {
                        for (order, decision) in decisions where !without.contains(order.id) {
                            try add(order, decision, at: instant, marks: marks, to: &batch)
                        }
                    }
                    let written = try await writer.write(batch, on: db)
                    var outcomes = Outcomes()
                    (outcomes.filled, outcomes.expired, outcomes.canceled) = (written.filled, written.expired, written.canceled)
                    return outcomes
                }
            } catch let lost as LedgerWriter.LostRace {
                gone.formUnion(lost.orderIds)
            }
        }
    }

    private func add(_ order: PaperOrder, _ decision: FillDecision, at instant: Date, marks: Marks, to batch: inout LedgerBatch) throws {
        switch decision {
        case .fill(let fill):
            if let refusal = try refusal(of: fill, order: order, marks: marks, batch: batch) {
                batch.close(order, as: .canceled, reason: refusal, actor: nil, at: instant)
            } else {
                try batch.fill(.stored(order), with: fill)
            }
        case .expire(let reason): batch.close(order, as: .expired, reason: reason.description, actor: nil, at: instant)
        case .cancel(let reason): batch.close(order, as: .canceled, reason: reason.description, actor: nil, at: instant)
        case .reject(let rejection): batch.close(order, as: .canceled, reason: rejection.message, actor: nil, at: instant)
        case .rest: break
        }
    }

    /// Why the account cannot afford `fill` now, or `nil` when it can.
    private func refusal(of fill: Fill, order: PaperOrder, marks: Marks, batch: LedgerBatch) throws -> String? {
        guard let instrument = RestingOrder(order)?.instrument else { return "the order's symbol is no longer valid" }
        var account = try batch.account(order.userId)
        account.release(order)
        let decision = BuyingPower.check(
            instrument: instrument, side: fill.side, quantity: fill.quantity, estimatedPrice: fill.price,
            account: try account.buyingPower(marks: marks))
        guard case .rejected(let rejection) = decision else { return nil }
        return "not filled at \(fill.price): \(rejection.message)"
    }
}
