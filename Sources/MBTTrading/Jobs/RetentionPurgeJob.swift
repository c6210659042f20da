import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `paper.retention_purge`, 02:00 New York: finished orders and closed positions older than their
/// owner's tier keeps them (free 90 days, pro 3 years, pro+ forever; ``RetentionPolicy``) are
/// soft-deleted, a few thousand rows per statement. They leave the API and the pages but stay for
/// `mbt verify` and the tax engine (docs/jobs.md). The cutoff is a day boundary, so a re-run the
/// same day finds nothing more.
struct RetentionPurgeJob: JobAction {
    static let rowsPerStatement = 5_000

    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        let now = date.at(hour: 2, minute: 0)
        var report = JobReport()
        var details: [String] = []
        for tier in UserTier.allCases {
            guard let cutoff = RetentionPolicy.cutoff(for: tier, now: now) else { continue }
            let orders = try await purge { db in
                try await RetentionStore.purgeOrders(tier: tier, before: cutoff, now: now, limit: Self.rowsPerStatement, on: db)
            }
            let positions = try await purge { db in
                try await RetentionStore.purgePositions(tier: tier, before: cutoff, now: now, limit: Self.rowsPerStatement, on: db)
            }
            report.rowsWritten += orders + positions
            details.append("\(tier.rawValue): \(orders) order(s), \(positions) position(s) before \(MarketDate(containing: cutoff))")
        }
        report.detail = details.joined(separator: "; ")
        return report

        func purge(_ statement: @Sendable @escaping (any SQLDatabase) async throws -> Int) async throws -> Int {
            var total = 0
            while true {
                let marked = try await context.database.withConnection(statement)
                total += marked
                if marked < Self.rowsPerStatement { return total }
            }
        }
    }
}
