import Foundation

extension FillEngine {
    /// `.expire` when the order's time in force has run out at `now`, else `nil` (IOC orders never
    /// rest, so never expire).
    public static func expiry(
        _ order: RestingOrder, now: Date, calendar: NYSECalendar, settings: FillSettings = .standard
    ) -> FillDecision? {
        guard let reason = scheduledExpiry(of: order, calendar: calendar, settings: settings), now >= reason.at else { return nil }
        return .expire(reason)
    }

    /// When and why the order will expire, for `expires_at` in the API and for scheduling the sweep.
    ///
    /// - DAY: the close of its session (13:00 on early-close days). An order submitted before the
    ///   open belongs to that day's session; one submitted after the close, on a weekend or on a
    ///   holiday is a DAY order for the next session.
    /// - GTC: 16:15 New York time on the calendar day `gtcLifetimeDays` after submission, Alpaca's
    ///   aged-order policy, so it never disappears during a session.
    /// - IOC: `nil`.
    public static func scheduledExpiry(of order: RestingOrder, calendar: NYSECalendar, settings: FillSettings = .standard) -> ExpiryReason?
    {
        switch order.timeInForce {
        case .ioc:
            return nil
        case .day:
            let session = daySession(submittedAt: order.submittedAt, calendar: calendar)
            return .sessionClosed(session: session.date, at: session.close)
        case .gtc:
            let lastDay = MarketDate(containing: order.submittedAt).adding(days: settings.gtcLifetimeDays)
            return .lifetimeEnded(days: settings.gtcLifetimeDays, at: lastDay.at(hour: 16, minute: 15))
        }
    }

    /// The session a DAY order submitted at `instant` trades in: today's until its close, else the next.
    public static func daySession(submittedAt instant: Date, calendar: NYSECalendar) -> TradingSession {
        if let today = calendar.session(on: MarketDate(containing: instant)), instant < today.close {
            return today
        }
        return calendar.nextSessionOpen(after: instant)
    }
}

extension FillEngine {
    /// Submission instants before which a resting order may have expired by `now`: DAY orders
    /// submitted before the last session close at or before `now`, GTC orders submitted before the
    /// first instant of the New York day whose lifetime has ended. Every order ``expiry(_:now:calendar:settings:)``
    /// expires lies below these bounds, so a database can narrow the sweep by index and the exact
    /// decision stays here.
    public static func expiryCutoffs(
        at now: Date, calendar: NYSECalendar, settings: FillSettings = .standard
    ) -> (dayOrdersBefore: Date, gtcOrdersBefore: Date) {
        let today = MarketDate(containing: now)
        let lastClose: Date
        if let session = calendar.session(on: today), session.close <= now {
            lastClose = session.close
        } else {
            lastClose = calendar.session(on: calendar.previousTradingDay(before: today))?.close ?? now
        }
        // A GTC order submitted on day D expires at 16:15 on D + lifetime.
        let lastExpiredDay = today.adding(days: -settings.gtcLifetimeDays - (now < today.at(hour: 16, minute: 15) ? 1 : 0))
        return (lastClose, lastExpiredDay.adding(days: 1).at(hour: 0, minute: 0))
    }
}
