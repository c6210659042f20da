import Foundation
import Logging
import MBTDomain
import MBTStorage

/// Runs a job for a date exactly once across every process sharing the database: claims the
/// `job_runs` row with a lease, renews it while the job runs, and records the outcome. A run whose
/// process died is taken over once its lease lapses; a finished one runs again only when forced
/// (and then changes nothing, the jobs being idempotent).
public struct JobRunner: Sendable {
    public let context: JobContext
    public let runs: JobRunStore
    public let owner: String
    /// Leases run on real time, whatever the market clock does.
    public let leaseClock: any MarketClock
    public let lease: Duration

    public init(context: JobContext, owner: String, leaseClock: any MarketClock, lease: Duration = .seconds(10)) {
        self.context = context
        self.runs = JobRunStore(database: context.database)
        self.owner = owner
        self.leaseClock = leaseClock
        self.lease = lease
    }

    public enum Outcome: Sendable {
        case ran(JobRunStore.Run)
        /// Another process holds the run, or it already succeeded (without `force`).
        case skipped(JobRunStore.Run?)
    }

    public func run(_ job: DailyJob, on date: MarketDate, force: Bool = false) async throws -> Outcome {
        let now = leaseClock.now()
        guard
            let claimed = try await runs.claim(
                job: job.rawValue, date: date.description, owner: owner, now: now, leaseUntil: now.addingTimeInterval(lease.seconds),
                force: force)
        else {
            return .skipped(try await runs.run(job: job.rawValue, date: date.description))
        }
        let started = ContinuousClock.now
        let renewal = Task { await renew(claimed.id) }
        defer { renewal.cancel() }
        let status: JobRunStore.Status
        let report: JobReport
        var error: String?
        do {
            report = try await job.action.run(on: date, context: context)
            status = report.failures.isEmpty ? .succeeded : .failed
            if !report.failures.isEmpty { error = report.failures.prefix(20).joined(separator: "; ") }
        } catch let thrown {
            report = JobReport()
            status = .failed
            error = "\(thrown)"
        }
        renewal.cancel()
        TradingMetrics.job(job.rawValue, status: status.rawValue, took: ContinuousClock.now - started)
        if status == .failed {
            context.logger.error("job failed", metadata: ["job": "\(job.rawValue)", "date": "\(date)", "error": "\(error ?? "")"])
        }
        try await runs.finish(
            claimed.id, owner: owner, status: status, accounts: report.accounts, rowsWritten: report.rowsWritten, error: error,
            detail: report.detail, at: leaseClock.now())
        return .ran(try await runs.run(job: job.rawValue, date: date.description) ?? claimed)
    }

    private func renew(_ id: Int64) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: lease / 3)
            guard !Task.isCancelled else { return }
            _ = try? await runs.renew(id, owner: owner, until: leaseClock.now().addingTimeInterval(lease.seconds))
        }
    }
}

extension Duration {
    var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
