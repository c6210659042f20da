import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.eod_tax_recalc`: rebuilds the tax rows of every account with fills that trading day
/// from its fills (``TaxLedger/recalc(userId:from:)``), so a purchase that arrived after a loss
/// sale re-opens its wash-sale treatment. Rows already right are left alone: a re-run writes
/// nothing. An account that fails is reported and the others are done.
struct TaxRecalcJob: JobAction {
    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        guard context.calendar.isTradingDay(date) else { return JobReport(detail: "not a trading day") }
        let (dayStart, dayEnd) = (date.at(hour: 0, minute: 0), date.adding(days: 1).at(hour: 0, minute: 0))
        let userIds = try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT DISTINCT o.user_id FROM paper_fills f JOIN paper_orders o ON o.id = f.paper_order_id \
                WHERE f.filled_at >= \(bind: StoredTimestamp(dayStart)) AND f.filled_at < \(bind: StoredTimestamp(dayEnd)) \
                ORDER BY o.user_id
                """
            ).all().map { try $0.decode(column: "user_id", as: Int64.self) }
        }
        var report = JobReport(accounts: userIds.count)
        var repaired = 0
        for (index, userId) in userIds.enumerated() {
            if index % 100 == 99 { await context.progress?.report(index + 1, userIds.count) }
            do {
                let recalc = try await context.taxLedger.recalc(userId: userId, from: date)
                report.rowsWritten += recalc.rowsWritten + recalc.rowsDeleted
                repaired += recalc.rowsWritten + recalc.rowsDeleted > 0 ? 1 : 0
            } catch {
                report.failures.append("user \(userId): \(error)")
            }
        }
        report.detail = "\(userIds.count) accounts with fills, \(repaired) with rows rewritten"
        return report
    }
}
