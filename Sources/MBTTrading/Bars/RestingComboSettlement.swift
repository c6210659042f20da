import Foundation
import MBTDomain
import MBTStorage

/// Writes the bar loop's decisions about resting multi-leg orders through the ledger's one
/// writer: a crossed combo fills every leg at its mid and completes its parent in one transaction,
/// or nothing of it is written. Buying power is judged again at the fill by the rule that judged
/// the submission, with the combo's own reservation released; a combo the account can no longer
/// carry is canceled with that reason. A combo closed meanwhile (a user's cancel won) is dropped
/// and the rest of the batch decided again.
struct RestingComboSettlement: Sendable {
    let database: any DatabaseClient
    let writer: LedgerWriter
    let settings: BarLoopSettings
    let barCloses: BarCloseBook
    let deadline: Duration = .seconds(60)

    enum Decision: Sendable {
        /// Fill every leg at the fill's prices, under `rule`.
        case fill(ComboFill, rule: FillRule)
        /// Close the combo unfilled (expired, or canceled because it can no longer fill).
        case close(OrderStatus, reason: String)
    }

    typealias Entry = (combo: RestingCombo, decision: Decision)

    /// Applies `entries` decided at `instant` on `quotes`; returns the outcomes and the parent ids
    /// the batch closed (filled or not), so the walk stops judging them.
    func apply(_ entries: [Entry], at instant: Date, quotes: [String: Quote]) async throws -> (RestingOrderSettlement.Outcomes, Set<Int64>)
    {
        var outcomes = RestingOrderSettlement.Outcomes()
        var closed = Set<Int64>()
        let byAccount = Dictionary(grouping: entries, by: \.combo.parent.userId).sorted { $0.key < $1.key }
        for chunk in byAccount.chunked(into: settings.accountsPerBatch) {
            let (chunkOutcomes, chunkClosed) = try await settle(chunk.flatMap(\.value), at: instant, quotes: quotes)
            outcomes += chunkOutcomes
            closed.formUnion(chunkClosed)
        }
        return (outcomes, closed)
    }

    private func settle(_ entries: [Entry], at instant: Date, quotes: [String: Quote]) async throws
        -> (RestingOrderSettlement.Outcomes, Set<Int64>)
    {
        var gone = Set<Int64>()
        while true {
            let live = entries.filter { gone.isDisjoint(with: $0.combo.orderIds) }
            guard !live.isEmpty else { return (.init(), []) }
            do {
                return try await database.withTransaction(within: deadline) { db in
                    var batch = try await writer.lock(live.map(\.combo.parent.userId), on: db)
                    let marks = Marks(quotes: quotes, barCloses: barCloses.closes(batch.heldSymbols))
                    var outcomes = RestingOrderSettlement.Outcomes()
                    for (combo, decision) in live {
                        switch try add(combo, decision, at: instant, marks: marks, quotes: quotes, to: &batch) {
                        case .filled: outcomes.filled += 1
                        case .expired: outcomes.expired += 1
                        default: outcomes.canceled += 1
                        }
                    }
                    _ = try await writer.write(batch, on: db)
                    return (outcomes, Set(live.map(\.combo.parent.id)))
                }
            } catch let lost as LedgerWriter.LostRace {
                gone.formUnion(lost.orderIds)
            }
        }
    }

    /// Adds one combo's outcome to the batch; returns the parent's new status.
    private func add(
        _ resting: RestingCombo, _ decision: Decision, at instant: Date, marks: Marks, quotes: [String: Quote], to batch: inout LedgerBatch
    ) throws -> OrderStatus {
        switch decision {
        case .close(let status, let reason):
            batch.close(combo: resting.parent, legs: resting.legs, as: status, reason: reason, actor: nil, at: instant)
            return status
        case .fill(let fill, let rule):
            var account = try batch.account(resting.parent.userId)
            account.release(resting.parent)
            let check = StructureBuyingPower.check(resting.combo, netPrice: fill.netPrice, account: try account.buyingPower(marks: marks))
            if case .failure(let rejection) = check {
                batch.close(
                    combo: resting.parent, legs: resting.legs, as: .canceled,
                    reason: "not filled at net \(fill.netPrice): \(rejection.message)",
                    actor: nil, at: instant)
                return .canceled
            }
            let fills = ComboLegFills.fills(resting.combo, prices: fill.legPrices, quotes: quotes, rule: rule, at: instant)
            for (leg, legFill) in zip(resting.legs, fills) { try batch.fill(.stored(leg), with: legFill) }
            batch.complete(.stored(resting.parent), netPrice: fill.netPrice, at: instant)
            return .filled
        }
    }
}
