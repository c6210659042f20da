import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.eod_tax_recalc`: rebuilds the tax rows of every account with fills that trading day
/// from its fills (``TaxLedger/recalc(userId:from:)``), so a purchase that arrived after a loss
/// sale re-opens its wash-sale treatment. On the last trading day of a year it also marks the open
/// Section 1256 contracts to market. Rows already right are left alone: a re-run writes nothing.
/// An account that fails is reported and the others are done.
struct TaxRecalcJob: JobAction {
    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        guard context.calendar.isTradingDay(date) else { return JobReport(detail: "not a trading day") }
        var report = JobReport()
        var marked: [Int64] = []
        if context.calendar.nextTradingDay(after: date).year != date.year {
            (marked, report.failures) = try await markYearEnd(date.year, context: context)
        }
        let userIds = Set(try await usersWithFills(on: date, context: context) + marked).sorted()
        report.accounts = userIds.count
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
        report.detail = "\(userIds.count) accounts with fills or marks, \(repaired) with rows rewritten"
        if !marked.isEmpty { report.detail += "; Section 1256 contracts of \(marked.count) accounts marked for \(date.year)" }
        return report
    }

    private func usersWithFills(on date: MarketDate, context: JobContext) async throws -> [Int64] {
        let (dayStart, dayEnd) = (date.at(hour: 0, minute: 0), date.adding(days: 1).at(hour: 0, minute: 0))
        return try await context.database.withConnection { db in
            try await db.raw(
                """
                SELECT DISTINCT o.user_id FROM paper_fills f JOIN paper_orders o ON o.id = f.paper_order_id \
                WHERE f.ts >= \(bind: StoredTimestamp(dayStart)) AND f.ts < \(bind: StoredTimestamp(dayEnd)) \
                ORDER BY o.user_id
                """
            ).all().map { try $0.decode(column: "user_id", as: Int64.self) }
        }
    }

    /// The last trading day of a year: records the year-end price of every open Section 1256
    /// contract (its quote mid at the run, after the close) once, and returns the accounts holding
    /// them, whose recalculation then carries the mark (docs/jobs.md). A contract without a quote
    /// is reported; its holders are marked when a re-run finds the price.
    private func markYearEnd(_ year: Int, context: JobContext) async throws -> (holders: [Int64], failures: [String]) {
        let positions = try await context.database.withConnection { db in try await LedgerStore.openOptionPositions(on: db) }
            .filter { (try? OptionSymbol(parsing: $0.symbol)).map(Section1256.isContract) == true }
        guard !positions.isEmpty else { return ([], []) }
        let symbols = Array(Set(positions.map(\.symbol))).sorted()
        let quotes = try await context.marketData.anyQuotes(symbols, for: [])
        var prices: [String: Decimal6] = [:]
        var failures: [String] = []
        for symbol in symbols {
            guard let quote = quotes[symbol], !quote.isCrossed else {
                failures.append("\(symbol): no quote to mark it at the end of \(year)")
                continue
            }
            prices[symbol] = quote.mid
        }
        _ = try await context.database.withConnection { db in
            try await YearEndMarkStore.record(year: year, prices: prices, at: context.marketData.clock.now(), on: db)
        }
        return (Set(positions.map(\.userId)).sorted(), failures)
    }
}
