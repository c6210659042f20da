import Foundation

/// The New York Stock Exchange's trading days and hours, computed from its published holiday rules
/// instead of a downloaded list, so any year is answered without I/O and every rule is written
/// down once, here, where it can be checked against the exchange's notices.
///
/// The rules are the ones in force since 2000 and are checked for 2000–2100 (`supportedYears`);
/// other years get the same rules extrapolated, which is wrong before 2000 in places (e.g.
/// Martin Luther King Jr. Day only from 1998, older early-close customs).
///
/// Nothing is cached: a day's answer costs a handful of integer date computations, and a value
/// with no state is trivially `Sendable`.
public struct NYSECalendar: Sendable {
    /// The years whose answers are checked against the exchange's published calendars.
    public static let supportedYears = 2000...2100

    public init() {}

    // MARK: Days

    /// The day's regular session, or `nil` when the exchange does not trade (weekend, holiday,
    /// one-off closure).
    public func session(on date: MarketDate) -> TradingSession? {
        guard isTradingDay(date) else { return nil }
        let isEarlyClose = isEarlyClose(date)
        let close = isEarlyClose ? Self.earlyClose : Self.regularClose
        return TradingSession(
            date: date,
            open: date.at(hour: Self.open.hour, minute: Self.open.minute),
            close: date.at(hour: close.hour, minute: close.minute),
            isEarlyClose: isEarlyClose
        )
    }

    public func isTradingDay(_ date: MarketDate) -> Bool {
        !date.isWeekend && holiday(on: date) == nil
    }

    /// Why the exchange is closed on a weekday, or `nil` when it trades (or the day is a weekend,
    /// which needs no reason).
    public func holiday(on date: MarketDate) -> ExchangeHoliday? {
        guard Self.computableYears.contains(date.year), !date.isWeekend else { return nil }
        for rule in Self.holidayRules where rule.months.contains(date.month) && rule.date(date.year) == date {
            return ExchangeHoliday(name: rule.name, date: date, kind: .recurring)
        }
        if let name = Self.oneOffClosures[date] {
            return ExchangeHoliday(name: name, date: date, kind: .oneOff)
        }
        return nil
    }

    /// Every weekday of `year` on which the exchange is closed, by observed date: recurring holidays
    /// and one-off closures. A New Year's Day on a Saturday is absent: the exchange does not close
    /// the Friday before, which is the last trading day of the previous year.
    public func holidays(in year: Int) -> [ExchangeHoliday] {
        guard Self.computableYears.contains(year) else { return [] }
        let recurring = Self.holidayRules.compactMap { rule in
            rule.date(year).map { ExchangeHoliday(name: rule.name, date: $0, kind: .recurring) }
        }
        let recurringDates = Set(recurring.map(\.date))
        let oneOff = Self.oneOffClosures
            .filter { $0.key.year == year && !recurringDates.contains($0.key) }
            .map { ExchangeHoliday(name: $0.value, date: $0.key, kind: .oneOff) }
        return (recurring + oneOff).sorted { $0.date < $1.date }
    }

    /// The trading days of `year` that close at 13:00 New York time.
    public func earlyCloses(in year: Int) -> [MarketDate] {
        guard Self.computableYears.contains(year) else { return [] }
        let byRule = Self.earlyCloseRules.compactMap { $0.date(year) }
        let oneOff = Self.oneOffEarlyCloses.keys.filter { $0.year == year }
        return Set(byRule + oneOff).filter(isTradingDay).sorted()
    }

    public func nextTradingDay(after date: MarketDate) -> MarketDate {
        var day = date.adding(days: 1)
        while !isTradingDay(day) { day = day.adding(days: 1) }
        return day
    }

    public func previousTradingDay(before date: MarketDate) -> MarketDate {
        var day = date.adding(days: -1)
        while !isTradingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The sessions of every trading day from `start` through `end`, both included; empty when
    /// `end` is before `start`.
    public func sessions(from start: MarketDate, through end: MarketDate) -> [TradingSession] {
        guard start <= end else { return [] }
        return (start.daysSinceEpoch...end.daysSinceEpoch).compactMap { session(on: MarketDate(daysSinceEpoch: $0)) }
    }

    // MARK: Instants

    /// The session whose `[open, close)` contains `instant`, or `nil` outside trading hours.
    public func session(containing instant: Date) -> TradingSession? {
        guard let session = session(on: MarketDate(containing: instant)), session.contains(instant) else { return nil }
        return session
    }

    /// The first session that opens strictly after `instant`: today's if it has not opened yet,
    /// otherwise the next trading day's. Lets a job sleep until the market next opens.
    public func nextSessionOpen(after instant: Date) -> TradingSession {
        var day = MarketDate(containing: instant)
        while true {
            if let session = session(on: day), session.open > instant { return session }
            day = day.adding(days: 1)
        }
    }

    public func isOpen(at instant: Date) -> Bool {
        session(containing: instant) != nil
    }

    // MARK: Early closes

    private func isEarlyClose(_ date: MarketDate) -> Bool {
        if Self.oneOffEarlyCloses[date] != nil { return true }
        return Self.earlyCloseRules.contains { $0.months.contains(date.month) && $0.date(date.year) == date }
    }
}

// MARK: - Rules

extension NYSECalendar {
    private static let open = (hour: 9, minute: 30)
    private static let regularClose = (hour: 16, minute: 0)
    private static let earlyClose = (hour: 13, minute: 0)

    /// Years in which `MarketDate` can represent every rule's date; outside them there are no
    /// holidays rather than a crash.
    private static let computableYears = 1...9999

    /// A day fixed by rule each year, or `nil` in years it does not occur (e.g. Juneteenth before
    /// 2022, New Year's Day on a Saturday). `months` bounds where the date can fall, so checking a
    /// single day only evaluates the rules that could match it.
    private struct DayRule: Sendable {
        let name: String
        let months: ClosedRange<Int>
        let date: @Sendable (_ year: Int) -> MarketDate?
    }

    /// NYSE Rule 7.2 and the exchange's published holiday calendars.
    private static let holidayRules: [DayRule] = [
        // Sunday → Monday; Saturday → no holiday at all: the exchange stays open on the Friday,
        // December 31st, to end the accounting year (2021-12-31 and 2010-12-31 traded).
        DayRule(name: "New Year's Day", months: 1...1) { year in
            let day = fixed(year, 1, 1)
            switch day.weekday {
            case Weekday.saturday: return nil
            case Weekday.sunday: return day.adding(days: 1)
            default: return day
            }
        },
        DayRule(name: "Martin Luther King Jr. Day", months: 1...1) { year in
            year >= 1998 ? nth(3, Weekday.monday, month: 1, year: year) : nil
        },
        DayRule(name: "Washington's Birthday", months: 2...2) { year in
            nth(3, Weekday.monday, month: 2, year: year)
        },
        // Easter falls March 22 – April 25, so Good Friday March 20 – April 23.
        DayRule(name: "Good Friday", months: 3...4) { year in
            easterSunday(year).adding(days: -2)
        },
        DayRule(name: "Memorial Day", months: 5...5) { year in
            last(Weekday.monday, month: 5, year: year)
        },
        DayRule(name: "Juneteenth National Independence Day", months: 6...6) { year in
            year >= 2022 ? nearestWeekday(fixed(year, 6, 19)) : nil
        },
        DayRule(name: "Independence Day", months: 7...7) { year in
            nearestWeekday(fixed(year, 7, 4))
        },
        DayRule(name: "Labor Day", months: 9...9) { year in
            nth(1, Weekday.monday, month: 9, year: year)
        },
        DayRule(name: "Thanksgiving Day", months: 11...11) { year in
            nth(4, Weekday.thursday, month: 11, year: year)
        },
        DayRule(name: "Christmas Day", months: 12...12) { year in
            nearestWeekday(fixed(year, 12, 25))
        },
    ]

    /// 13:00 closes. A rule date that is not a trading day (a one-off closure) has no session and
    /// so no early close.
    private static let earlyCloseRules: [DayRule] = [
        // July 3rd when it is Monday–Thursday (July 4th Tuesday–Friday). When July 4th is a
        // Saturday, July 3rd is the observed holiday; when it is a Sunday or Monday there is no
        // early close (2021-07-02, 2022-07-01 traded full days). Before 2013 a Thursday July 4th
        // shortened Friday July 5th instead of Wednesday July 3rd (2002); 2013 was the first year
        // with the Wednesday early close.
        DayRule(name: "Independence Day", months: 7...7) { year in
            let july3 = fixed(year, 7, 3)
            switch july3.weekday {
            case Weekday.monday, Weekday.tuesday, Weekday.thursday: return july3
            case Weekday.wednesday: return year >= 2013 ? july3 : july3.adding(days: 2)
            default: return nil
            }
        },
        DayRule(name: "Day after Thanksgiving", months: 11...11) { year in
            nth(4, Weekday.thursday, month: 11, year: year).adding(days: 1)
        },
        // Christmas Eve Monday–Thursday; on a Friday it is the observed Christmas holiday.
        DayRule(name: "Christmas Eve", months: 12...12) { year in
            let christmasEve = fixed(year, 12, 24)
            return (Weekday.monday...Weekday.thursday).contains(christmasEve.weekday) ? christmasEve : nil
        },
    ]

    /// Full-day closures the rules do not give, as announced by the exchange.
    private static let oneOffClosures: [MarketDate: String] = table([
        ("2001-09-11", "September 11 attacks"),
        ("2001-09-12", "September 11 attacks"),
        ("2001-09-13", "September 11 attacks"),
        ("2001-09-14", "September 11 attacks"),
        ("2004-06-11", "National Day of Mourning for President Ronald Reagan"),
        ("2007-01-02", "National Day of Mourning for President Gerald R. Ford"),
        ("2012-10-29", "Hurricane Sandy"),
        ("2012-10-30", "Hurricane Sandy"),
        ("2018-12-05", "National Day of Mourning for President George H. W. Bush"),
        ("2025-01-09", "National Day of Mourning for President Jimmy Carter"),
    ])

    /// 13:00 closes the rules do not give.
    private static let oneOffEarlyCloses: [MarketDate: String] = table([
        ("2003-12-26", "Day after Christmas")
    ])

    /// Constant, valid ISO dates only (covered by the tests), so the unwrap cannot fail.
    private static func table(_ rows: [(String, String)]) -> [MarketDate: String] {
        Dictionary(uniqueKeysWithValues: rows.map { (MarketDate(iso: $0.0)!, $0.1) })
    }

    // MARK: Date arithmetic

    private enum Weekday {
        static let sunday = 1
        static let monday = 2
        static let tuesday = 3
        static let wednesday = 4
        static let thursday = 5
        static let saturday = 7
    }

    /// A month and day that exist in every year (never February 29th), in a year `computableYears`
    /// admits, so the unwrap cannot fail.
    private static func fixed(_ year: Int, _ month: Int, _ day: Int) -> MarketDate {
        MarketDate(year: year, month: month, day: day)!
    }

    /// Saturday → the Friday before, Sunday → the Monday after: the exchange's observance of
    /// fixed-date holidays other than New Year's Day.
    private static func nearestWeekday(_ date: MarketDate) -> MarketDate {
        switch date.weekday {
        case Weekday.saturday: date.adding(days: -1)
        case Weekday.sunday: date.adding(days: 1)
        default: date
        }
    }

    /// The `n`th `weekday` (1 = Sunday … 7 = Saturday) of a month.
    private static func nth(_ n: Int, _ weekday: Int, month: Int, year: Int) -> MarketDate {
        let first = fixed(year, month, 1)
        return first.adding(days: (weekday - first.weekday + 7) % 7 + 7 * (n - 1))
    }

    private static func last(_ weekday: Int, month: Int, year: Int) -> MarketDate {
        let end = fixed(year, month, MarketDate.daysIn(month: month, year: year))
        return end.adding(days: -((end.weekday - weekday + 7) % 7))
    }

    /// Western (Gregorian) Easter by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    private static func easterSunday(_ year: Int) -> MarketDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return fixed(year, month, day)
    }
}
