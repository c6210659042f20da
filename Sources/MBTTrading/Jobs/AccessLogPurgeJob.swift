import Foundation
import MBTDomain
import MBTMarketData
import MBTStorage
import SQLKit

/// `market_data.access_log_purge`: deletes `market_data_access_log` rows older than 13 months
/// (``RetentionPolicy/accessLogMonths``, the record's regulatory minimum), a few thousand rows per
/// statement so a large table is never locked for long. A re-run finds nothing older to delete.
struct AccessLogPurgeJob: JobAction {
    static let rowsPerStatement = 5_000

    func run(on date: MarketDate, context: JobContext) async throws -> JobReport {
        let cutoff = RetentionPolicy.accessLogCutoff(now: date.at(hour: 0, minute: 0))
        var report = JobReport(detail: "rows fetched before \(cutoff)")
        while true {
            let deleted = try await context.database.withConnection { db in
                try await db.raw(
                    """
                    DELETE FROM market_data_access_log WHERE id IN \
                    (SELECT id FROM market_data_access_log WHERE fetched_at < \(bind: StoredTimestamp(cutoff)) LIMIT \(literal: Self.rowsPerStatement)) \
                    RETURNING id
                    """
                ).all().count
            }
            report.rowsWritten += deleted
            if deleted < Self.rowsPerStatement { return report }
        }
    }
}
