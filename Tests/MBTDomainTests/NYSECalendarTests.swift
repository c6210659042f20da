import Foundation
import MBTDomain
import Testing

/// Expected values are the NYSE's published holiday and early-close calendars, written out by hand,
/// not derived from the rules under test.
@Suite("NYSE calendar")
struct NYSECalendarTests {
    let calendar = NYSECalendar()

    // MARK: Published calendars, 2019–2026

    @Test(
        arguments: [
            (
                2019,
                [
                    "2019-01-01", "2019-01-21", "2019-02-18", "2019-04-19", "2019-05-27", "2019-07-04", "2019-09-02", "2019-11-28",
                    "2019-12-25",
                ]
            ),
            (
                2020,
                [
                    "2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10", "2020-05-25", "2020-07-03", "2020-09-07", "2020-11-26",
                    "2020-12-25",
                ]
            ),
            (
                2021,
                [
                    "2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05", "2021-09-06", "2021-11-25",
                    "2021-12-24",
                ]
            ),
            (
                2022,
                [
                    "2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-11-24",
                    "2022-12-26",
                ]
            ),
            (
                2023,
                [
                    "2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04",
                    "2023-11-23", "2023-12-25",
                ]
            ),
            (
                2024,
                [
                    "2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02",
                    "2024-11-28", "2024-12-25",
                ]
            ),
            (
                2025,
                [
                    "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04",
                    "2025-09-01", "2025-11-27", "2025-12-25",
                ]
            ),
            (
                2026,
                [
                    "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
                    "2026-11-26", "2026-12-25",
                ]
            ),
        ] as [(Int, [String])])
    func holidaysMatchThePublishedCalendar(year: Int, expected: [String]) {
        let holidays = calendar.holidays(in: year)
        #expect(holidays.map(\.date.description) == expected)
        for holiday in holidays {
            #expect(calendar.session(on: holiday.date) == nil, "\(holiday.date) \(holiday.name)")
            #expect(!calendar.isTradingDay(holiday.date))
            #expect(calendar.holiday(on: holiday.date) == holiday)
        }
    }

    @Test(
        arguments: [
            (2019, ["2019-07-03", "2019-11-29", "2019-12-24"]),
            (2020, ["2020-11-27", "2020-12-24"]),
            (2021, ["2021-11-26"]),
            (2022, ["2022-11-25"]),
            (2023, ["2023-07-03", "2023-11-24"]),
            (2024, ["2024-07-03", "2024-11-29", "2024-12-24"]),
            (2025, ["2025-07-03", "2025-11-28", "2025-12-24"]),
            (2026, ["2026-11-27", "2026-12-24"]),
        ] as [(Int, [String])])
    func earlyClosesMatchThePublishedCalendar(year: Int, expected: [String]) throws {
        #expect(calendar.earlyCloses(in: year).map(\.description) == expected)
        for text in expected {
            let session = try #require(calendar.session(on: day(text)))
            #expect(session.isEarlyClose)
            #expect(session.close == day(text).at(hour: 13, minute: 0))
        }
    }

    @Test(arguments: [
        "2019-07-05", "2020-07-02", "2021-07-02", "2022-07-01", "2022-12-23", "2023-12-22", "2025-12-26", "2026-07-02",
        "2019-12-31", "2024-12-26",
    ])
    func fullDaysAroundHolidaysAreNotShortened(text: String) throws {
        let session = try #require(calendar.session(on: day(text)))
        #expect(!session.isEarlyClose)
        #expect(session.close == day(text).at(hour: 16, minute: 0))
    }

    @Test func holidaysCarryTheirNames() {
        #expect(calendar.holiday(on: day("2022-06-20"))?.name == "Juneteenth National Independence Day")
        #expect(calendar.holiday(on: day("2021-12-24"))?.name == "Christmas Day")
        #expect(calendar.holiday(on: day("2023-01-02"))?.name == "New Year's Day")
        #expect(calendar.holiday(on: day("2024-03-29"))?.name == "Good Friday")
        #expect(calendar.holiday(on: day("2024-11-28"))?.kind == .recurring)
        #expect(calendar.holiday(on: day("2024-11-29")) == nil)
        #expect(calendar.holiday(on: day("2024-12-28")) == nil, "weekends need no reason")
    }

    // MARK: Individual rules

    @Test(arguments: [
        ("2022-01-01", "2021-12-31", "2022-01-03"), ("2011-01-01", "2010-12-31", "2011-01-03"), ("2005-01-01", "2004-12-31", "2005-01-03"),
    ])
    func newYearsDayOnASaturdayIsNotObserved(newYear: String, fridayBefore: String, mondayAfter: String) {
        #expect(day(newYear).weekday == 7)
        #expect(calendar.isTradingDay(day(fridayBefore)))
        #expect(calendar.isTradingDay(day(mondayAfter)))
        #expect(!calendar.holidays(in: day(newYear).year).contains { $0.name == "New Year's Day" })
        #expect(!calendar.holidays(in: day(fridayBefore).year).contains { $0.date == day(fridayBefore) })
    }

    @Test func newYearsDayOnASundayIsObservedMonday() {
        #expect(calendar.holiday(on: day("2023-01-02"))?.name == "New Year's Day")
        #expect(calendar.holiday(on: day("2017-01-02"))?.name == "New Year's Day")
        #expect(calendar.isTradingDay(day("2022-12-30")))
    }

    @Test func juneteenthStartsIn2022() {
        #expect(!calendar.holidays(in: 2021).contains { $0.name.contains("Juneteenth") })
        #expect(calendar.isTradingDay(day("2021-06-18")))
        #expect(calendar.holiday(on: day("2022-06-20"))?.name == "Juneteenth National Independence Day")
        #expect(calendar.isTradingDay(day("2022-06-17")))
        #expect(calendar.holiday(on: day("2027-06-18"))?.name == "Juneteenth National Independence Day")
        #expect(calendar.isTradingDay(day("2027-06-21")))
    }

    @Test(arguments: ["2024-03-29", "2025-04-18", "2000-04-21", "2100-03-26", "2019-04-19", "2008-03-21", "2038-04-23", "2011-04-22"])
    func goodFriday(text: String) {
        #expect(calendar.holiday(on: day(text))?.name == "Good Friday")
        #expect(calendar.isTradingDay(day(text).adding(days: -1)))
        let goodFridays = calendar.holidays(in: day(text).year).filter { $0.name == "Good Friday" }
        #expect(goodFridays.map(\.date) == [day(text)])
    }

    @Test(arguments: [
        ("2001-09-11", "September 11 attacks"), ("2001-09-12", "September 11 attacks"), ("2001-09-13", "September 11 attacks"),
        ("2001-09-14", "September 11 attacks"), ("2004-06-11", "National Day of Mourning for President Ronald Reagan"),
        ("2007-01-02", "National Day of Mourning for President Gerald R. Ford"), ("2012-10-29", "Hurricane Sandy"),
        ("2012-10-30", "Hurricane Sandy"), ("2018-12-05", "National Day of Mourning for President George H. W. Bush"),
        ("2025-01-09", "National Day of Mourning for President Jimmy Carter"),
    ])
    func oneOffClosures(text: String, name: String) {
        let expected = ExchangeHoliday(name: name, date: day(text), kind: .oneOff)
        #expect(calendar.holiday(on: day(text)) == expected)
        #expect(calendar.holidays(in: day(text).year).contains(expected))
        #expect(calendar.session(on: day(text)) == nil)
    }

    @Test func oneOffClosuresEndWhereTheyShould() {
        #expect(calendar.previousTradingDay(before: day("2001-09-17")) == day("2001-09-10"))
        #expect(calendar.nextTradingDay(after: day("2001-09-10")) == day("2001-09-17"))
        #expect(calendar.nextTradingDay(after: day("2012-10-26")) == day("2012-10-31"))
        #expect(calendar.isTradingDay(day("2018-12-04")) && calendar.isTradingDay(day("2018-12-06")))
    }

    @Test func historicalEarlyCloses() {
        // July 4th on a Tuesday, 2000 and 2006: Monday July 3rd closed early.
        #expect(calendar.earlyCloses(in: 2000).contains(day("2000-07-03")))
        #expect(calendar.earlyCloses(in: 2006).contains(day("2006-07-03")))
        // July 4th on a Thursday before 2013: Friday July 5th, not Wednesday July 3rd.
        #expect(calendar.earlyCloses(in: 2002) == [day("2002-07-05"), day("2002-11-29"), day("2002-12-24")])
        // 2013 was the first Wednesday July 3rd early close; Friday July 5th traded a full day.
        #expect(calendar.earlyCloses(in: 2013) == [day("2013-07-03"), day("2013-11-29"), day("2013-12-24")])
        // The day after Christmas 2003 closed early by announcement.
        #expect(calendar.earlyCloses(in: 2003) == [day("2003-07-03"), day("2003-11-28"), day("2003-12-24"), day("2003-12-26")])
        // July 4th on a Saturday: no early close on Thursday July 2nd (2009, 2015).
        #expect(calendar.earlyCloses(in: 2015) == [day("2015-11-27"), day("2015-12-24")])
        #expect(calendar.holiday(on: day("2015-07-03"))?.name == "Independence Day")
    }

    // MARK: Instants

    @Test func sessionTimesFollowDaylightSaving() throws {
        let summer = try #require(calendar.session(on: day("2024-07-01")))
        #expect(summer.open == utc("2024-07-01T13:30:00Z"))
        #expect(summer.close == utc("2024-07-01T20:00:00Z"))
        let winter = try #require(calendar.session(on: day("2024-01-02")))
        #expect(winter.open == utc("2024-01-02T14:30:00Z"))
        #expect(winter.close == utc("2024-01-02T21:00:00Z"))
        // Clocks went forward on Sunday 2024-03-10.
        #expect(calendar.session(on: day("2024-03-08"))?.open == utc("2024-03-08T14:30:00Z"))
        #expect(calendar.session(on: day("2024-03-11"))?.open == utc("2024-03-11T13:30:00Z"))
        let dayAfterThanksgiving = try #require(calendar.session(on: day("2024-11-29")))
        #expect(dayAfterThanksgiving.isEarlyClose)
        #expect(dayAfterThanksgiving.close == utc("2024-11-29T18:00:00Z"))
        #expect(calendar.session(on: day("2024-07-03"))?.close == utc("2024-07-03T17:00:00Z"))
    }

    @Test func sessionContainingIsHalfOpen() throws {
        let open = utc("2024-07-01T13:30:00Z")
        let close = utc("2024-07-01T20:00:00Z")
        #expect(calendar.session(containing: open)?.date == day("2024-07-01"))
        #expect(calendar.session(containing: open.addingTimeInterval(-0.001)) == nil)
        #expect(calendar.session(containing: close.addingTimeInterval(-0.001))?.date == day("2024-07-01"))
        #expect(calendar.session(containing: close) == nil)
        #expect(calendar.isOpen(at: open))
        #expect(!calendar.isOpen(at: close))
        // Early close: 13:00 New York is already closed.
        #expect(calendar.isOpen(at: utc("2024-11-29T17:59:59Z")))
        #expect(!calendar.isOpen(at: utc("2024-11-29T18:00:00Z")))
        // Holidays and weekends, at what would be mid-session.
        #expect(!calendar.isOpen(at: utc("2024-07-04T15:00:00Z")))
        #expect(!calendar.isOpen(at: utc("2024-07-06T15:00:00Z")))
    }

    @Test func nextSessionOpen() {
        // Before the open: today's session.
        #expect(calendar.nextSessionOpen(after: utc("2024-07-01T12:00:00Z")).date == day("2024-07-01"))
        // Exactly at the open, during the session, after the close: the next trading day's.
        #expect(calendar.nextSessionOpen(after: utc("2024-07-01T13:30:00Z")).date == day("2024-07-02"))
        #expect(calendar.nextSessionOpen(after: utc("2024-07-01T15:00:00Z")).date == day("2024-07-02"))
        #expect(calendar.nextSessionOpen(after: utc("2024-07-01T21:00:00Z")).date == day("2024-07-02"))
        // Across the Memorial Day weekend, from Friday evening and from Saturday.
        let afterMemorialDay = calendar.nextSessionOpen(after: utc("2024-05-24T21:00:00Z"))
        #expect(afterMemorialDay.date == day("2024-05-28"))
        #expect(afterMemorialDay.open == utc("2024-05-28T13:30:00Z"))
        #expect(calendar.nextSessionOpen(after: utc("2024-05-25T15:00:00Z")).date == day("2024-05-28"))
        // Late evening New York time is already the next UTC day.
        #expect(calendar.nextSessionOpen(after: utc("2024-12-24T02:00:00Z")).date == day("2024-12-24"))
    }

    // MARK: Navigation

    @Test func nextAndPreviousTradingDayCrossHolidayWeekends() {
        #expect(calendar.nextTradingDay(after: day("2024-05-24")) == day("2024-05-28"))
        #expect(calendar.previousTradingDay(before: day("2024-05-28")) == day("2024-05-24"))
        #expect(calendar.nextTradingDay(after: day("2020-07-02")) == day("2020-07-06"))
        #expect(calendar.previousTradingDay(before: day("2020-07-06")) == day("2020-07-02"))
        #expect(calendar.nextTradingDay(after: day("2022-12-23")) == day("2022-12-27"))
        #expect(calendar.previousTradingDay(before: day("2023-01-03")) == day("2022-12-30"))
        #expect(calendar.nextTradingDay(after: day("2024-03-28")) == day("2024-04-01"))
        #expect(calendar.nextTradingDay(after: day("2024-07-01")) == day("2024-07-02"))
        // From a non-trading day.
        #expect(calendar.nextTradingDay(after: day("2024-07-04")) == day("2024-07-05"))
        #expect(calendar.previousTradingDay(before: day("2024-07-06")) == day("2024-07-05"))
    }

    @Test func sessionsOverARange() {
        let sessions = calendar.sessions(from: day("2024-12-21"), through: day("2025-01-02"))
        #expect(
            sessions.map(\.date.description) == [
                "2024-12-23", "2024-12-24", "2024-12-26", "2024-12-27", "2024-12-30", "2024-12-31", "2025-01-02",
            ])
        #expect(sessions.map(\.isEarlyClose) == [false, true, false, false, false, false, false])
        #expect(calendar.sessions(from: day("2024-12-23"), through: day("2024-12-23")).count == 1)
        #expect(calendar.sessions(from: day("2024-12-24"), through: day("2024-12-23")).isEmpty)
    }

    // MARK: Properties over 2000–2100

    @Test func everyYearFrom2000Through2100IsConsistent() {
        for year in NYSECalendar.supportedYears {
            let holidays = calendar.holidays(in: year)
            let recurring = holidays.filter { $0.kind == .recurring }
            let newYearOnSaturday = day("\(year)-01-01").weekday == 7
            let expectedRecurring = (year >= 2022 ? 10 : 9) - (newYearOnSaturday ? 1 : 0)
            #expect(recurring.count == expectedRecurring, "\(year)")
            #expect(Set(holidays.map(\.date)).count == holidays.count, "\(year)")
            for holiday in holidays {
                #expect(holiday.date.year == year && !holiday.date.isWeekend, "\(holiday.date)")
            }

            let earlyCloses = calendar.earlyCloses(in: year)
            #expect((1...4).contains(earlyCloses.count), "\(year)")
            let thanksgiving = holidays.filter { $0.name == "Thanksgiving Day" }.map(\.date)
            #expect(thanksgiving.map { $0.adding(days: 1) }.allSatisfy(earlyCloses.contains), "\(year)")

            let first = day("\(year)-01-01")
            let last = day("\(year)-12-31")
            var tradingDays = 0
            var weekdays = 0
            for offset in 0...(last.daysSinceEpoch - first.daysSinceEpoch) {
                let date = first.adding(days: offset)
                let isTradingDay = calendar.isTradingDay(date)
                if !date.isWeekend { weekdays += 1 }
                if isTradingDay { tradingDays += 1 }
                if date.isWeekend { #expect(!isTradingDay, "\(date)") }
                #expect(isTradingDay == (calendar.holiday(on: date) == nil && !date.isWeekend), "\(date)")
                if earlyCloses.contains(date) { #expect(isTradingDay, "\(date)") }
            }
            #expect(tradingDays == weekdays - holidays.count, "\(year)")
            #expect((248...254).contains(tradingDays), "\(year): \(tradingDays)")
        }
    }

    @Test func sessionsOverTheWholeRangeAreWellFormed() {
        let sessions = calendar.sessions(from: day("2000-01-01"), through: day("2100-12-31"))
        #expect(sessions.count == (2000...2100).reduce(0) { $0 + tradingDayCount($1) })
        for session in sessions {
            #expect(!session.date.isWeekend)
            let length = session.close.timeIntervalSince(session.open)
            #expect(length == (session.isEarlyClose ? 3.5 * 3600 : 6.5 * 3600), "\(session.date)")
            #expect(MarketDate(containing: session.open) == session.date)
        }
    }

    @Test(arguments: [
        (2001, 248), (2004, 252), (2012, 250), (2019, 252), (2020, 253), (2021, 252), (2022, 251), (2023, 250), (2024, 252),
        (2025, 250), (2026, 251),
    ])
    func tradingDaysPerYear(year: Int, count: Int) {
        #expect(tradingDayCount(year) == count)
    }

    // MARK: Helpers

    private func tradingDayCount(_ year: Int) -> Int {
        calendar.sessions(from: day("\(year)-01-01"), through: day("\(year)-12-31")).count
    }

    private func day(_ text: String) -> MarketDate {
        guard let date = MarketDate(iso: text) else {
            Issue.record("bad test date \(text)")
            return MarketDate(daysSinceEpoch: 0)
        }
        return date
    }

    private func utc(_ text: String) -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else {
            Issue.record("bad test instant \(text)")
            return Date(timeIntervalSince1970: 0)
        }
        return date
    }
}
