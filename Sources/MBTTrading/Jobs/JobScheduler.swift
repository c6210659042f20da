import Foundation
import Logging
import MBTDomain
import MBTStorage

/// Decides which job-dates are due on the market clock and runs them through the ``JobRunner``, in
/// run order: after downtime every missed job-date runs, oldest first (the jobs' catch-up, as the
/// bar loop's). A simulated clock running fast fires days of jobs in minutes.
public struct JobScheduler: Sendable {
    public let runner: JobRunner
    /// How far back a catch-up reaches when a job has no run recorded yet: the start of today.
    /// A job with runs catches up from its latest recorded date, at most this many days back.
    public let maximumCatchUpDays: Int

    public init(runner: JobRunner, maximumCatchUpDays: Int = 14) {
        self.runner = runner
        self.maximumCatchUpDays = maximumCatchUpDays
    }

    public var context: JobContext { runner.context }

    /// The job-dates due by `now` and not yet recorded, and those a runner left unfinished when it
    /// died (its lease lapsed: the claim takes them over), in run order.
    public func due(at now: Date) async throws -> [DailyJobRun] {
        try await (recordedNext(at: now) + abandoned()).sorted()
    }

    /// The job-dates due by `now` after each job's latest recorded date.
    private func recordedNext(at now: Date) async throws -> [DailyJobRun] {
        let latest = try await runner.runs.latestDates()
        let today = MarketDate(containing: now)
        let floor = today.adding(days: -maximumCatchUpDays)
        let start = today.at(hour: 0, minute: 0)
        let earliest =
            latest.values.compactMap(MarketDate.init(iso:)).map { max($0, floor) }.min().map { $0.at(hour: 0, minute: 0) } ?? start
        return DailyJob.due(from: min(earliest, start), through: now, calendar: context.calendar).filter { run in
            guard let recorded = latest[run.job.rawValue].flatMap(MarketDate.init(iso:)) else { return run.date >= today }
            return run.date > recorded && run.date >= floor
        }
    }

    /// Runs whose owner died mid-run, by the leases' clock.
    private func abandoned() async throws -> [DailyJobRun] {
        try await runner.runs.abandoned(now: runner.leaseClock.now()).compactMap { job, date in
            guard let job = DailyJob(rawValue: job), let date = MarketDate(iso: date),
                let at = job.runInstant(on: date, calendar: context.calendar)
            else { return nil }
            return DailyJobRun(job: job, date: date, at: at)
        }
    }

    /// Runs every due job-date once (others may be running them too: the claim decides).
    @discardableResult
    public func runDue(at now: Date) async throws -> [JobRunner.Outcome] {
        var outcomes: [JobRunner.Outcome] = []
        for run in try await due(at: now) {
            outcomes.append(try await runner.run(run.job, on: run.date))
        }
        return outcomes
    }
}

extension DailyJob {
    /// The job's work.
    public var action: any JobAction {
        switch self {
        case .eodSnapshot: SnapshotJob()
        case .eodTaxRecalc: TaxRecalcJob()
        case .accessLogPurge: AccessLogPurgeJob()
        case .dividendAdjustment: DividendJob()
        case .assignmentAtExpiry: ExpiryJob()
        case .stockSplitAdjustment: SplitJob()
        case .retentionPurge: RetentionPurgeJob()
        }
    }

    /// `trading days, 15 min after the close (New York)`, for the CLI and the admin route.
    public var scheduleDescription: String {
        let days = schedule.days == .tradingDays ? "trading days" : "every day"
        switch schedule.time {
        case .newYork(let hour, let minute):
            return "\(days) at " + String(format: "%02d:%02d", hour, minute) + " New York"
        case .afterClose(let minutes):
            return "\(days), \(minutes) min after the close"
        }
    }
}
