import Foundation
import MBTDomain
import Testing

/// DAY and GTC expiry against the NYSE calendar.
@Suite("Fill engine: expiry")
struct FillEngineExpiryTests {
    typealias F = OrderFixtures

    static func expiry(_ order: RestingOrder, at now: Date, settings: FillSettings = .standard) -> FillDecision? {
        FillEngine.expiry(order, now: now, calendar: F.calendar, settings: settings)
    }

    @Test(
        arguments: [
            ("in a regular session", F.ny("2026-11-24", 10, 0), "2026-11-24", F.ny("2026-11-24", 16, 0)),
            ("pre-market", F.ny("2026-11-24", 6, 0), "2026-11-24", F.ny("2026-11-24", 16, 0)),
            ("after the close", F.ny("2026-11-24", 16, 0), "2026-11-25", F.ny("2026-11-25", 16, 0)),
            ("on an early-close day", F.ny("2026-11-27", 10, 0), "2026-11-27", F.ny("2026-11-27", 13, 0)),
            ("after an early close", F.ny("2026-11-27", 13, 30), "2026-11-30", F.ny("2026-11-30", 16, 0)),
            ("on Thanksgiving", F.ny("2026-11-26", 10, 0), "2026-11-27", F.ny("2026-11-27", 13, 0)),
            ("on a Saturday", F.ny("2026-11-28", 10, 0), "2026-11-30", F.ny("2026-11-30", 16, 0)),
        ])
    func dayOrderExpiresAtItsSessionsClose(_ label: String, submittedAt: Date, session: String, close: Date) {
        let order = F.order(.buy, .limit, limit: 100, submittedAt: submittedAt)
        let expected = ExpiryReason.sessionClosed(session: MarketDate(iso: session)!, at: close)
        #expect(FillEngine.scheduledExpiry(of: order, calendar: F.calendar) == expected, "\(label)")
        #expect(Self.expiry(order, at: close.addingTimeInterval(-1)) == nil, "\(label)")
        #expect(Self.expiry(order, at: close) == .expire(expected), "\(label)")
        #expect(Self.expiry(order, at: close.addingTimeInterval(86_400)) == .expire(expected), "\(label)")
    }

    @Test func dayMarketOrderAcceptedAfterTheCloseExpiresAtTheNextClose() {
        let order = F.order(.sell, .market, submittedAt: F.ny("2026-11-27", 14, 0))
        #expect(Self.expiry(order, at: F.ny("2026-11-30", 15, 59)) == nil)
        #expect(Self.expiry(order, at: F.ny("2026-11-30", 16, 0)) != nil)
    }

    @Test func gtcOrderExpiresNinetyDaysLaterAt1615() {
        // Submitted in EST, expires in EDT: the wall-clock time is what counts.
        let order = F.order(.buy, .limit, limit: 100, tif: .gtc, submittedAt: F.ny("2026-03-02", 10, 0))
        let deadline = F.ny("2026-05-31", 16, 15)
        let expected = ExpiryReason.lifetimeEnded(days: 90, at: deadline)
        #expect(FillEngine.scheduledExpiry(of: order, calendar: F.calendar) == expected)
        #expect(Self.expiry(order, at: F.ny("2026-03-02", 16, 0)) == nil)
        #expect(Self.expiry(order, at: F.ny("2026-05-29", 16, 0)) == nil)
        #expect(Self.expiry(order, at: deadline.addingTimeInterval(-1)) == nil)
        #expect(Self.expiry(order, at: deadline) == .expire(expected))
        #expect(expected.code == "gtc_lifetime_ended")
    }

    @Test func gtcLifetimeIsConfigurable() {
        let order = F.order(.buy, .limit, limit: 100, tif: .gtc, submittedAt: F.ny("2026-11-24", 10, 0))
        let settings = FillSettings(gtcLifetimeDays: 1)
        #expect(Self.expiry(order, at: F.ny("2026-11-25", 16, 14), settings: settings) == nil)
        #expect(Self.expiry(order, at: F.ny("2026-11-25", 16, 15), settings: settings) != nil)
    }

    @Test func iocOrdersHaveNoExpiry() {
        let order = F.order(.buy, .limit, limit: 100, tif: .ioc, submittedAt: F.ny("2026-11-24", 10, 0))
        #expect(FillEngine.scheduledExpiry(of: order, calendar: F.calendar) == nil)
        #expect(Self.expiry(order, at: F.ny("2027-01-01", 0, 0)) == nil)
    }

    @Test func expiryReasonsHaveStableCodesAndSayWhen() {
        let reason = ExpiryReason.sessionClosed(session: MarketDate(iso: "2026-11-27")!, at: F.ny("2026-11-27", 13, 0))
        #expect(reason.code == "day_order_session_closed")
        #expect(reason.description.contains("2026-11-27"))
        #expect(reason.description.contains("18:00:00Z"))
    }
}
