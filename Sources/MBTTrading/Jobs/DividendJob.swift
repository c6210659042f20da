import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.dividend_adjustment`: cash dividends whose ex-date is the run date, from the market's
/// corporate actions. Every stock position held at the close before the ex-date is entitled: a
/// long is credited quantity × rate, a short debited the same (docs/jobs.md). One `cash_movements`
/// row per account and dividend, keyed so a re-run writes nothing, through the ledger's one writer.
///
/// Entitlement is read from the positions open when the job runs (07:00 New York, before the
/// open). A run caught up after the ex-date's session opened would miss positions closed since.
struct DividendJob: JobAction {
    static let accountsPerBatch = 500

    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        let dividends = try await context.marketData.corporateActions(from: date, through: date).filter {
            $0.isCashDividend && $0.exDate == date
        }
        var report = JobReport(detail: "\(dividends.count) dividend(s)")
        for dividend in dividends {
            let holders = try await context.database.withConnection { db in
                try await LedgerStore.holders(of: dividend.symbol, on: db)
            }
            for (chunk, result) in await context.inBatches(
                holders, size: Self.accountsPerBatch,
                { chunk in
                    try await pay(dividend, to: chunk, on: date, context: context)
                })
            {
                switch result {
                case .success(let written):
                    report.accounts += written
                    report.rowsWritten += written
                case .failure(let error):
                    report.failures.append("\(dividend.id) for users \(chunk.first ?? 0)…\(chunk.last ?? 0): \(error)")
                }
            }
        }
        return report
    }

    /// Pays `dividend` to the accounts among `userIds` holding its stock, under their locks.
    private func pay(_ dividend: CorporateAction, to userIds: [Int64], on date: MarketDate, context: JobContext) async throws -> Int {
        let at = date.at(hour: 7, minute: 0)
        return try await context.database.withTransaction(within: .seconds(60)) { db in
            var batch = try await context.writer.lock(userIds, on: db)
            for userId in userIds {
                guard let position = try batch.account(userId).positions[dividend.symbol]?.position,
                    let entitlement = try DividendEntitlement.entitlement(for: dividend, position: position, userID: userId)
                else { continue }
                try batch.move(
                    LedgerStore.CashMovementRow(
                        userId: userId, kind: .dividend, amount: entitlement.amount, symbol: dividend.symbol,
                        description: entitlement.explanation, dedupeKey: entitlement.dedupeKey, at: at))
            }
            return try await context.writer.write(batch, on: db).cashMovements
        }
    }
}
