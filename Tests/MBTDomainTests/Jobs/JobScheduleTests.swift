import Foundation
import MBTDomain
import Testing

/// The daily job table in New York time: weekdays, weekends, holidays, early closes, both daylight-
/// saving switches, and catching up after downtime. Expected instants are written in UTC.
@Suite("Jobs: schedule")
struct JobScheduleTests {
    typealias F = JobFixtures

    @Test func namesAreTheStoredJobNames() {
        #expect(
            DailyJob.allCases.map(\.rawValue) == [
                "paper.retention_purge", "market_data.access_log_purge", "paper.dividend_adjustment", "paper.stock_split_adjustment",
                "paper.assignment_at_expiry", "paper.eod_snapshot", "paper.eod_tax_recalc",
            ])
    }

    @Test func scheduleTable() {
        #expect(DailyJob.retentionPurge.schedule == JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 2, minute: 0)))
        #expect(DailyJob.accessLogPurge.schedule == JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 2, minute: 30)))
        #expect(DailyJob.dividendAdjustment.schedule == JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 7, minute: 0)))
        #expect(DailyJob.stockSplitAdjustment.schedule == JobSchedule(days: .everyCalendarDay, time: .newYork(hour: 7, minute: 0)))
        #expect(DailyJob.assignmentAtExpiry.schedule == JobSchedule(days: .tradingDays, time: .afterClose(minutes: 15)))
        #expect(DailyJob.eodSnapshot.schedule == JobSchedule(days: .tradingDays, time: .newYork(hour: 17, minute: 0)))
        #expect(DailyJob.eodTaxRecalc.schedule == JobSchedule(days: .tradingDays, time: .newYork(hour: 17, minute: 30)))
    }

    /// Run instants per job in `allCases` order; `nil` where the job does not run.
    @Test(arguments: [
        (
            "a normal Friday (EST)", "2026-03-06",
            ["07:00", "07:30", "12:00", "12:00", "21:15", "22:00", "22:30"] as [String?]
        ),
        ("a Saturday", "2026-03-07", ["07:00", "07:30", "12:00", "12:00", nil, nil, nil]),
        ("a Sunday", "2026-05-24", ["06:00", "06:30", "11:00", "11:00", nil, nil, nil]),
        ("observed Independence Day", "2026-07-03", ["06:00", "06:30", "11:00", "11:00", nil, nil, nil]),
        ("Thanksgiving", "2026-11-26", ["07:00", "07:30", "12:00", "12:00", nil, nil, nil]),
        ("day after Thanksgiving: early close, assignment 13:15", "2026-11-27", ["07:00", "07:30", "12:00", "12:00", "18:15", "22:00", "22:30"]),
        ("Christmas Eve: early close", "2026-12-24", ["07:00", "07:30", "12:00", "12:00", "18:15", "22:00", "22:30"]),
        ("spring forward: 02:00 and 02:30 do not exist", "2026-03-08", ["07:00", "07:30", "11:00", "11:00", nil, nil, nil]),
        ("first trading day on EDT", "2026-03-09", ["06:00", "06:30", "11:00", "11:00", "20:15", "21:00", "21:30"]),
        ("last day on EDT", "2026-10-31", ["06:00", "06:30", "11:00", "11:00", nil, nil, nil]),
        ("fall back", "2026-11-01", ["07:00", "07:30", "12:00", "12:00", nil, nil, nil]),
        ("first trading day on EST", "2026-11-02", ["07:00", "07:30", "12:00", "12:00", "21:15", "22:00", "22:30"]),
    ] as [(String, String, [String?])])
    func runInstants(_ label: String, date: String, utcTimes: [String?]) {
        let day = F.date(date)
        let actual = DailyJob.allCases.map { $0.runInstant(on: day, calendar: F.calendar) }
        let expected = utcTimes.map { time in time.map { F.utc("\(date)T\($0):00Z") } }
        #expect(actual == expected, "\(label)")
    }

    @Test func holidayUnderTestIsAHoliday() {
        #expect(F.calendar.holiday(on: F.date("2026-07-03"))?.name == "Independence Day")
        #expect(F.calendar.session(on: F.date("2026-11-27"))?.isEarlyClose == true)
    }

    /// Down from Friday's close to Tuesday morning over Memorial Day: every run owed, in run order.
    @Test func catchUpOverALongWeekend() {
        let runs = DailyJob.due(from: F.utc("2026-05-22T20:00:00Z"), through: F.utc("2026-05-26T12:00:00Z"), calendar: F.calendar)
        var expected: [(DailyJob, String, String)] = [
            (.assignmentAtExpiry, "2026-05-22", "2026-05-22T20:15:00Z"),
            (.eodSnapshot, "2026-05-22", "2026-05-22T21:00:00Z"),
            (.eodTaxRecalc, "2026-05-22", "2026-05-22T21:30:00Z"),
        ]
        for day in ["2026-05-23", "2026-05-24", "2026-05-25", "2026-05-26"] {
            expected += [
                (.retentionPurge, day, "\(day)T06:00:00Z"), (.accessLogPurge, day, "\(day)T06:30:00Z"),
                (.dividendAdjustment, day, "\(day)T11:00:00Z"), (.stockSplitAdjustment, day, "\(day)T11:00:00Z"),
            ]
        }
        #expect(runs == expected.map { DailyJobRun(job: $0.0, date: F.date($0.1), at: F.utc($0.2)) })
    }

    /// `(from, through]`: a run at `from` already happened, a run at `through` is due.
    @Test func dueIsHalfOpen() {
        let snapshotOnly = DailyJob.due(from: F.utc("2026-03-06T21:15:00Z"), through: F.utc("2026-03-06T22:00:00Z"), calendar: F.calendar)
        #expect(snapshotOnly == [DailyJobRun(job: .eodSnapshot, date: F.date("2026-03-06"), at: F.utc("2026-03-06T22:00:00Z"))])
        let both = DailyJob.due(from: F.utc("2026-03-06T11:59:59Z"), through: F.utc("2026-03-06T12:00:00Z"), calendar: F.calendar)
        #expect(both.map(\.job) == [.dividendAdjustment, .stockSplitAdjustment])
        #expect(DailyJob.due(from: F.utc("2026-03-06T12:00:00Z"), through: F.utc("2026-03-06T12:00:00Z"), calendar: F.calendar).isEmpty)
        #expect(DailyJob.due(from: F.utc("2026-03-07T12:00:00Z"), through: F.utc("2026-03-06T12:00:00Z"), calendar: F.calendar).isEmpty)
        #expect(DailyJob.due(from: F.utc("2026-03-06T12:00:00Z"), through: F.utc("2026-03-06T21:00:00Z"), calendar: F.calendar).isEmpty)
    }

    @Test(arguments: [
        ("assignment skips the holiday and the weekend", DailyJob.assignmentAtExpiry, "2026-07-02T21:45:00Z", "2026-07-06", "2026-07-06T20:15:00Z"),
        ("strictly after: the next night", .retentionPurge, "2026-07-02T06:00:00Z", "2026-07-03", "2026-07-03T06:00:00Z"),
        ("later the same day", .eodSnapshot, "2026-11-27T17:00:00Z", "2026-11-27", "2026-11-27T22:00:00Z"),
        ("early close", .assignmentAtExpiry, "2026-11-27T18:14:00Z", "2026-11-27", "2026-11-27T18:15:00Z"),
        ("over a weekend into EDT", .eodTaxRecalc, "2026-03-06T23:00:00Z", "2026-03-09", "2026-03-09T21:30:00Z"),
        ("calendar-day job runs on Sunday", .dividendAdjustment, "2026-03-07T12:00:00Z", "2026-03-08", "2026-03-08T11:00:00Z"),
        ("after midnight UTC is still the New York evening", .accessLogPurge, "2026-03-07T01:00:00Z", "2026-03-07", "2026-03-07T07:30:00Z"),
    ] as [(String, DailyJob, String, String, String)])
    func nextRun(_ label: String, job: DailyJob, after: String, date: String, at: String) {
        let run = job.nextRun(after: F.utc(after), calendar: F.calendar)
        #expect(run == DailyJobRun(job: job, date: F.date(date), at: F.utc(at)), "\(label)")
    }

    /// Ordinary times agree with the calendar's own conversion; the DST edges follow the documented rule.
    @Test(arguments: ["2026-01-02", "2026-03-07", "2026-03-09", "2026-06-30", "2026-10-31", "2026-11-02", "2026-12-31"])
    func wallClockAgreesWithMarketDate(_ date: String) {
        let day = F.date(date)
        for (hour, minute) in [(0, 0), (2, 0), (2, 30), (7, 0), (9, 30), (16, 0), (23, 59)] {
            #expect(NewYorkWallClock.instant(on: day, hour: hour, minute: minute) == day.at(hour: hour, minute: minute))
        }
    }

    @Test(arguments: [
        ("spring-forward gap 02:00 → 03:00 EDT", "2026-03-08", 2, 0, "2026-03-08T07:00:00Z"),
        ("spring-forward gap 02:30 → 03:30 EDT", "2026-03-08", 2, 30, "2026-03-08T07:30:00Z"),
        ("03:00 EDT", "2026-03-08", 3, 0, "2026-03-08T07:00:00Z"),
        ("01:59 EST before the gap", "2026-03-08", 1, 59, "2026-03-08T06:59:00Z"),
        ("fall-back repeated 01:30 is the first (EDT)", "2026-11-01", 1, 30, "2026-11-01T05:30:00Z"),
        ("fall-back 00:30 EDT", "2026-11-01", 0, 30, "2026-11-01T04:30:00Z"),
        ("fall-back 02:00 EST", "2026-11-01", 2, 0, "2026-11-01T07:00:00Z"),
    ] as [(String, String, Int, Int, String)])
    func wallClockAcrossDaylightSaving(_ label: String, date: String, hour: Int, minute: Int, expected: String) {
        #expect(NewYorkWallClock.instant(on: F.date(date), hour: hour, minute: minute) == F.utc(expected), "\(label)")
    }
}
