import Foundation

/// How long history is kept before the nightly purges remove it (`paper.retention_purge`,
/// `market_data.access_log_purge`; docs/jobs.md).
///
/// Cutoffs are the start of a New York calendar day, not `now` minus a duration, so a purge gives
/// the same answer whenever it runs that day (at 02:00 or in a catch-up at noon), a rerun deletes
/// nothing more, and nothing younger than the full window is ever removed: rows up to one day past
/// the window may survive until the next night.
public enum RetentionPolicy {
    /// Months of market-data access log kept.
    public static let accessLogMonths = 13

    /// Days of finished orders and closed positions a tier keeps; `nil` keeps them forever. The
    /// tier itself defines the window (``UserTier/retentionDays``: 90 days, 3 × 365 days, forever).
    public static func retentionDays(for tier: UserTier) -> Int? {
        tier.retentionDays
    }

    /// Finished orders and closed positions that ended before this instant are purged; `nil` for a
    /// tier that keeps everything. The start of the New York day `retentionDays` before `now`'s.
    public static func cutoff(for tier: UserTier, now: Date) -> Date? {
        guard let days = retentionDays(for: tier) else { return nil }
        let day = MarketDate(containing: now).adding(days: -days)
        return NewYorkWallClock.instant(on: day, hour: 0, minute: 0)
    }

    /// Access-log rows before this instant are purged: the start of the New York day
    /// ``accessLogMonths`` months before `now`'s, on the same day of the month or the month's last
    /// day when it is shorter (13 months before 2027-03-31 is 2026-02-28).
    public static func accessLogCutoff(now: Date) -> Date {
        let today = MarketDate(containing: now)
        let months = today.year * 12 + (today.month - 1) - accessLogMonths
        let year = months / 12
        let month = months % 12 + 1
        let day = min(today.day, MarketDate.daysIn(month: month, year: year))
        let date = MarketDate(year: year, month: month, day: day) ?? today
        return NewYorkWallClock.instant(on: date, hour: 0, minute: 0)
    }
}
