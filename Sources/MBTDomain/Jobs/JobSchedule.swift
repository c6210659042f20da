import Foundation

/// When a daily job runs, in New York market time (docs/jobs.md): which days, and at what time.
///
/// Times are New York wall-clock times, not UTC, because what the jobs wait for (the close, the
/// next open, a quiet night) moves with daylight saving; a fixed UTC time would put a 16:15 UTC
/// assignment run before the close for most of the year.
public struct JobSchedule: Sendable, Hashable {
    /// Which days the job runs.
    public enum Days: String, Sendable, Hashable, Codable {
        /// Every day, weekends and holidays included: corporate actions and purges.
        case everyCalendarDay = "calendar_day"
        /// Exchange trading days only: jobs that need a session.
        case tradingDays = "trading_day"
    }

    /// At what time on a day the job runs.
    public enum Time: Sendable, Hashable {
        /// A New York wall-clock time.
        case newYork(hour: Int, minute: Int)
        /// A number of minutes after that day's session close (13:00 on early-close days).
        case afterClose(minutes: Int)
    }

    public let days: Days
    public let time: Time

    public init(days: Days, time: Time) {
        self.days = days
        self.time = time
    }

    /// The instant the job runs on `date`, or `nil` when it does not run that day.
    public func runInstant(on date: MarketDate, calendar: NYSECalendar) -> Date? {
        let session = calendar.session(on: date)
        if days == .tradingDays && session == nil { return nil }
        switch time {
        case .newYork(let hour, let minute):
            return NewYorkWallClock.instant(on: date, hour: hour, minute: minute)
        case .afterClose(let minutes):
            return session.map { $0.close.addingTimeInterval(TimeInterval(minutes * 60)) }
        }
    }
}

/// Turns a New York date and wall-clock time into an instant, with the daylight-saving edge cases
/// decided here rather than left to the platform's `Calendar` (which answers them differently
/// across Foundation implementations):
///
/// - a time that does not exist (02:00–02:59 on the spring-forward Sunday) runs as far after the
///   jump as it was past 02:00: 02:00 → 03:00 EDT, 02:30 → 03:30 EDT, the same instant the standard-
///   time reading would give;
/// - a time that occurs twice (01:00–01:59 on the fall-back Sunday) is its first occurrence (EDT).
public enum NewYorkWallClock {
    /// The instant `hour:minute` New York time on `date`.
    public static func instant(on date: MarketDate, hour: Int, minute: Int) -> Date {
        let zone = MarketDate.newYork
        let wallSeconds = TimeInterval(date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60)
        let wallAsUTC = Date(timeIntervalSince1970: wallSeconds)
        // New York's offset half a day either side brackets any one transition on this day.
        let offsetBefore = TimeInterval(zone.secondsFromGMT(for: wallAsUTC.addingTimeInterval(-43_200)))
        let offsetAfter = TimeInterval(zone.secondsFromGMT(for: wallAsUTC.addingTimeInterval(43_200)))
        for offset in [offsetBefore, offsetAfter] {
            let candidate = wallAsUTC.addingTimeInterval(-offset)
            if TimeInterval(zone.secondsFromGMT(for: candidate)) == offset { return candidate }
        }
        return wallAsUTC.addingTimeInterval(-offsetBefore)
    }
}
