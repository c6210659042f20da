import Foundation

/// The scheduled daily jobs and when each runs (docs/jobs.md). The raw value is the job's stored
/// name (job runs, locks, the CLI).
///
/// Cases are listed in the order the jobs run within a day, which also breaks ties between jobs
/// due at the same instant: dividends before splits at 07:00, so a dividend and a split with the
/// same ex-date pay on the shares held at the previous close, as declared, before they are rescaled.
public enum DailyJob: String, Sendable, Hashable, Codable, CaseIterable {
    case retentionPurge = "paper.retention_purge"
    case accessLogPurge = "market_data.access_log_purge"
    case dividendAdjustment = "paper.dividend_adjustment"
    case stockSplitAdjustment = "paper.stock_split_adjustment"
    case assignmentAtExpiry = "paper.assignment_at_expiry"
    case eodSnapshot = "paper.eod_snapshot"
    case eodTaxRecalc = "paper.eod_tax_recalc"

    /// Purges at night, corporate actions before the open, expiry after the close (so the close is
    /// known, 13:15 on early-close days), then the snapshot and the tax recalculation over it.
    public var schedule: JobSchedule {
        switch self {
        case .retentionPurge: JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 2, minute: 0))
        case .accessLogPurge: JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 2, minute: 30))
        case .dividendAdjustment: JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 7, minute: 0))
        case .stockSplitAdjustment: JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 7, minute: 0))
        case .assignmentAtExpiry: JobSchedule(days: .tradingDays, time: .afterClose(minutes: 15))
        case .eodSnapshot: JobSchedule(days: .tradingDays, time: .newYork(hour: 17, minute: 0))
        case .eodTaxRecalc: JobSchedule(days: .tradingDays, time: .newYork(hour: 17, minute: 30))
        }
    }

    /// The instant the job runs for `date`, or `nil` when it does not run that day.
    public func runInstant(on date: MarketDate, calendar: NYSECalendar) -> Date? {
        schedule.runInstant(on: date, calendar: calendar)
    }

    /// The first run strictly after `instant`.
    public func nextRun(after instant: Date, calendar: NYSECalendar) -> DailyJobRun {
        var date = MarketDate(containing: instant)
        while true {
            if let at = runInstant(on: date, calendar: calendar), at > instant {
                return DailyJobRun(job: self, date: date, at: at)
            }
            date = date.adding(days: 1)
        }
    }

    /// Every run due in `(from, through]`, in run order (ties in ``allCases`` order): what the
    /// scheduler owes after sleeping or being down from `from` to `through`. Empty unless
    /// `from < through`. Every run instant falls on its own New York date, so only the dates from
    /// `from`'s to `through`'s are looked at.
    public static func due(from: Date, through: Date, calendar: NYSECalendar) -> [DailyJobRun] {
        guard from < through else { return [] }
        let first = MarketDate(containing: from).daysSinceEpoch
        let last = MarketDate(containing: through).daysSinceEpoch
        var runs: [DailyJobRun] = []
        for day in first...last {
            let date = MarketDate(daysSinceEpoch: day)
            for job in allCases {
                guard let at = job.runInstant(on: date, calendar: calendar), from < at, at <= through else { continue }
                runs.append(DailyJobRun(job: job, date: date, at: at))
            }
        }
        return runs.sorted()
    }
}

/// One run of a daily job: the job, the market date it runs for, and when.
public struct DailyJobRun: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let job: DailyJob
    /// The date the job is for (the idempotency key together with the job).
    public let date: MarketDate
    public let at: Date

    public init(job: DailyJob, date: MarketDate, at: Date) {
        self.job = job
        self.date = date
        self.at = at
    }

    /// By instant, then by the jobs' order within a day.
    public static func < (lhs: DailyJobRun, rhs: DailyJobRun) -> Bool {
        if lhs.at != rhs.at { return lhs.at < rhs.at }
        return lhs.job.order < rhs.job.order
    }

    /// `"paper.eod_snapshot 2026-03-06"`.
    public var description: String { "\(job.rawValue) \(date)" }
}

extension DailyJob {
    /// The job's place in ``allCases``.
    fileprivate var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
