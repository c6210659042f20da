import Foundation
import MBTDomain
import Testing

/// Retention cutoffs: the start of a New York day, the tier's window before today.
@Suite("Jobs: retention policy")
struct RetentionPolicyTests {
    typealias F = JobFixtures

    @Test(arguments: [(UserTier.free, 90 as Int?), (.pro, 1095), (.proplus, nil)])
    func windows(_ tier: UserTier, days: Int?) {
        #expect(RetentionPolicy.retentionDays(for: tier) == days)
    }

    @Test(arguments: [
        ("free at 02:00 EDT", UserTier.free, "2026-06-10T06:00:00Z", "2026-03-12T04:00:00Z" as String?),
        ("free just after midnight", .free, "2026-06-10T04:00:01Z", "2026-03-12T04:00:00Z"),
        ("free just before the next midnight", .free, "2026-06-11T03:59:00Z", "2026-03-12T04:00:00Z"),
        ("free across the DST switch", .free, "2026-03-10T12:00:00Z", "2025-12-10T05:00:00Z"),
        ("pro over a leap day", .pro, "2026-06-10T06:00:00Z", "2023-06-11T04:00:00Z"),
        ("proplus keeps everything", .proplus, "2026-06-10T06:00:00Z", nil),
    ] as [(String, UserTier, String, String?)])
    func cutoff(_ label: String, tier: UserTier, now: String, expected: String?) {
        #expect(RetentionPolicy.cutoff(for: tier, now: F.utc(now)) == expected.map(F.utc), "\(label)")
    }

    @Test(arguments: [
        ("mid-month", "2026-06-10T06:00:00Z", "2025-05-10T04:00:00Z"),
        ("month end clamps to February", "2027-03-31T16:00:00Z", "2026-02-28T05:00:00Z"),
        ("across a year boundary", "2026-01-15T12:00:00Z", "2024-12-15T05:00:00Z"),
        ("New York date, not UTC date", "2026-07-01T02:00:00Z", "2025-05-30T04:00:00Z"),
    ])
    func accessLogCutoff(_ label: String, now: String, expected: String) {
        #expect(RetentionPolicy.accessLogCutoff(now: F.utc(now)) == F.utc(expected), "\(label)")
    }
}
